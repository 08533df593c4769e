import Fluxion
import FluxionInput
import FluxionNN
import FluxionPINN
import Foundation

/// The results of a `fluxion pinn run`, each file written atomically.
struct PINNOutput {
    let problem: Problem
    let solver: PINNSolver<FieldNetwork>
    let state: PINNState<FieldNetwork>
    let directory: URL
    let configuration: PINNRunConfiguration
    let seconds: Double
    let stop: TrainingStop

    /// The names of the coordinates: x, t for space-time; x, y (, z) otherwise.
    var coordinateNames: [String] {
        let d = problem.domain.dimension
        if problem.timeIndex != nil { return (d == 2 ? ["x"] : ["x", "y", "z"].prefix(d - 1).map { $0 }) + ["t"] }
        return Array(["x", "y", "z"].prefix(d))
    }

    func write(_ bytes: [UInt8], _ name: String) throws {
        try TreeFile.writeAtomically(bytes, to: directory.appendingPathComponent(name))
    }

    func write() throws {
        let grid = solver.gridSolution(state)
        let axes = grid.axes, shape = axes.map(\.count)
        var arrays: [String: Tensor] = [:]
        for (name, axis) in zip(coordinateNames, axes) { arrays[name] = Tensor(axis) }
        arrays["u"] = Tensor(grid.u, shape: shape)
        if let reference = grid.reference, let difference = grid.error {
            arrays["reference"] = Tensor(reference, shape: shape)
            arrays["error"] = Tensor(difference, shape: shape)
        }
        let error = grid.relativeError
        try write(NPZ.encode(arrays), "solution.npz")

        let names = solver.problem.termNames
        var csv = (["step", "seconds", "loss", "error"] + names).joined(separator: ",") + "\n"
        for row in state.history { csv += row.map { $0.isNaN ? "" : "\($0)" }.joined(separator: ",") + "\n" }
        try write(Array(csv.utf8), "history.csv")

        var summary: [String: Any] = [
            "problem": configuration.problem, "adam_steps": state.step, "lbfgs_iterations": state.lbfgsIterations,
            "seconds": seconds, "stopped": stop.rawValue, "collocation_points": state.batch.collocation.shape[0],
            "network": ["hidden": configuration.hidden, "activation": configuration.activation,
                        "fourier_features": configuration.fourierFeatures, "hard_constraints": configuration.hardConstraints,
                        "periodic_embedding": configuration.periodicEmbedding],
            "seed": configuration.seed,
        ]
        if configuration.timeWindows > 1 { (summary["time_windows"], summary["window"]) = (configuration.timeWindows, state.window + 1) }
        if let error { summary["relative_l2_error"] = error }
        if let lbfgs = state.lbfgsStop { summary["lbfgs_stop"] = lbfgs.rawValue }
        if let last = state.history.last(where: { !$0[4].isNaN }) {
            summary["loss"] = last[2]
            summary["loss_terms"] = Dictionary(uniqueKeysWithValues: zip(names, last[4...]).map { ($0, $1) })
        }
        if !state.parameters.coefficients.isEmpty {
            summary["coefficients"] = state.parameters.coefficients.mapValues { $0.item }
        }
        try write(Array(try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])), "summary.json")

        if axes.count == 2 {
            let (xs, ys) = (axes[0], axes[1])
            let labels = (coordinateNames[0], coordinateNames[1])
            try write(Array(SVG.heatMap(title: "\(configuration.problem): PINN solution u", xs: xs, ys: ys, values: grid.u,
                                        xLabel: labels.0, yLabel: labels.1).utf8), "solution.svg")
            if let difference = grid.error {
                try write(Array(SVG.heatMap(title: String(format: "|u − reference| (relative L2 %.2e)", error ?? .nan), xs: xs, ys: ys,
                                            values: difference.map(Swift.abs), xLabel: labels.0, yLabel: labels.1).utf8), "error.svg")
            }
        } else if axes.count == 1 {
            var series = [(name: "PINN", x: axes[0], y: grid.u)]
            if let reference = grid.reference { series.append((name: "reference", x: axes[0], y: reference)) }
            try write(Array(SVG.lines(title: "\(configuration.problem): solution", series: series, xLabel: "x", yLabel: "u",
                                      logY: false).utf8), "solution.svg")
        }
        let steps = state.history.map { $0[0] }
        var curves = [(name: "loss", x: steps, y: state.history.map { $0[2] })]
        if grid.reference != nil { curves.append((name: "relative L2 error", x: steps, y: state.history.map { $0[3] })) }
        for (k, name) in names.enumerated() { curves.append((name: name, x: steps, y: state.history.map { $0[4 + k] })) }
        try write(Array(SVG.lines(title: "\(configuration.problem): training", series: curves, xLabel: "step", yLabel: "value",
                                  logY: true).utf8), "loss.svg")
    }
}
