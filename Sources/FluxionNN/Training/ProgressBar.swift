import Foundation

/// A one-line progress bar for a terminal, redrawn in place:
/// `[##########··········]  5000/10000  812.4 it/s  0:00:06 left  loss 1.234e-03`.
///
/// ```swift
/// let bar = ProgressBar()
/// try trainer.train(state, until: 10_000) { report in bar.draw(report); return true }
/// ```
public struct ProgressBar: Sendable {
    public var width: Int

    public init(width: Int = 30) { self.width = width }

    /// The line for a report.
    public func line(_ r: TrainingReport) -> String {
        let fraction = r.totalSteps > 0 ? Double(r.step) / Double(r.totalSteps) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        let left = Int(r.secondsRemaining.isFinite ? r.secondsRemaining : 0)
        let time = String(format: "%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
        return String(format: "[%@] %6d/%d  %.1f it/s  %@ left  loss %.3e", bar, r.step, r.totalSteps, r.stepsPerSecond,
                      time, r.loss)
    }

    /// Redraws the bar on standard error (a new line once the run is complete); `suffix`, when
    /// given, replaces the counts after the bar (a caller's own fields).
    public func draw(_ r: TrainingReport, suffix: String? = nil) {
        let end = r.step >= r.totalSteps ? "\n" : ""
        var text = line(r)
        if let suffix { text = String(text.prefix(width + 2)) + " " + suffix }
        // Clear to the end of the line: a shorter line must not leave the old one's tail.
        FileHandle.standardError.write(("\r" + text + "\u{1B}[K" + end).data(using: .utf8)!)
    }
}
