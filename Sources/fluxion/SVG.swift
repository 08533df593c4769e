import Foundation

/// Small SVG plots a person can open in any browser: a heat map of a field on a grid and line plots.
enum SVG {
    /// Viridis, sampled at 6 stops and interpolated linearly.
    static let stops: [(Double, Double, Double)] = [(68, 1, 84), (65, 68, 135), (42, 120, 142), (34, 168, 132), (122, 209, 81), (253, 231, 37)]

    static func color(_ t: Double) -> String {
        let x = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = Swift.min(Int(x), stops.count - 2), f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        return String(format: "#%02x%02x%02x", Int(a.0 + f * (b.0 - a.0)), Int(a.1 + f * (b.1 - a.1)), Int(a.2 + f * (b.2 - a.2)))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A heat map of `values[i * ys.count + j]` (x horizontal, y up; NaN cells left blank), with a color bar.
    static func heatMap(title: String, xs: [Double], ys: [Double], values: [Double], xLabel: String, yLabel: String) -> String {
        let (w, h, left, top) = (520.0, 360.0, 60.0, 30.0)
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let span = hi > lo ? hi - lo : 1
        let cw = w / Double(xs.count), ch = h / Double(ys.count)
        var s = header(width: w + 150, height: h + 80, title: title)
        for i in xs.indices { for j in ys.indices {
            let v = values[i * ys.count + j]
            guard v.isFinite else { continue }
            s += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%@\"/>\n",
                        left + Double(i) * cw, top + h - Double(j + 1) * ch, cw + 0.3, ch + 0.3, color((v - lo) / span))
        } }
        s += axes(left: left, top: top, width: w, height: h, x: (xs.first ?? 0, xs.last ?? 1), y: (ys.first ?? 0, ys.last ?? 1),
                  xLabel: xLabel, yLabel: yLabel, yFormat: "%.2f")
        for k in 0..<50 {
            let t = Double(k) / 49
            s += String(format: "<rect x=\"%.1f\" y=\"%.2f\" width=\"16\" height=\"%.2f\" fill=\"%@\"/>\n",
                        left + w + 30, top + h - (t + 0.02) * h, h / 49 + 0.5, color(t))
        }
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.3g</text>\n", left + w + 50, top + 10, hi)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.3g</text>\n", left + w + 50, top + h, lo)
        return s + "</svg>\n"
    }

    /// Line plots of several series against x, with a logarithmic y axis when `logY`.
    static func lines(title: String, series: [(name: String, x: [Double], y: [Double])], xLabel: String, yLabel: String,
                      logY: Bool) -> String {
        let (w, h, left, top) = (560.0, 340.0, 70.0, 30.0)
        func ty(_ v: Double) -> Double { logY ? log10(v) : v }
        let all = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) } }
        let xlo = all.map(\.0).min() ?? 0, xhi = all.map(\.0).max() ?? 1
        var ylo = all.map { ty($0.1) }.min() ?? 0, yhi = all.map { ty($0.1) }.max() ?? 1
        if logY { ylo = ylo.rounded(.down); yhi = yhi.rounded(.up) }
        if yhi <= ylo { yhi = ylo + 1 }
        let xspan = xhi > xlo ? xhi - xlo : 1
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        var s = header(width: w + 180, height: h + 80, title: title)
        for (k, line) in series.enumerated() {
            let points = zip(line.x, line.y).filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) }.map { p in
                String(format: "%.2f,%.2f", left + (p.0 - xlo) / xspan * w, top + h - (ty(p.1) - ylo) / (yhi - ylo) * h)
            }
            let c = palette[k % palette.count]
            s += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>\n"
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%@\">%@</text>\n", left + w + 15,
                        top + 15 + 18 * Double(k), c, escape(line.name))
        }
        s += axes(left: left, top: top, width: w, height: h, x: (xlo, xhi), y: (ylo, yhi), xLabel: xLabel,
                  yLabel: logY ? "log10 " + yLabel : yLabel, yFormat: logY ? "%.0f" : "%.3g")
        return s + "</svg>\n"
    }

    static func header(width: Double, height: Double, title: String) -> String {
        String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">\n", width, height)
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + String(format: "<text x=\"%.0f\" y=\"20\" font-size=\"14\" text-anchor=\"middle\">%@</text>\n", width / 2, escape(title))
    }

    static func axes(left: Double, top: Double, width: Double, height: Double, x: (Double, Double), y: (Double, Double),
                     xLabel: String, yLabel: String, yFormat: String) -> String {
        var s = String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n",
                       left, top, width, height)
        for k in 0...4 {
            let f = Double(k) / 4
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%.3g</text>\n",
                        left + f * width, top + height + 15, x.0 + f * (x.1 - x.0))
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">\(yFormat)</text>\n",
                        left - 5, top + height - f * height + 4, y.0 + f * (y.1 - y.0))
        }
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%@</text>\n",
                    left + width / 2, top + height + 35, escape(xLabel))
        s += String(format: "<text x=\"15\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 15 %.1f)\">%@</text>\n",
                    top + height / 2, top + height / 2, escape(yLabel))
        return s
    }
}
