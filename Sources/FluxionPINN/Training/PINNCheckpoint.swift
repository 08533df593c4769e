import Fluxion
import FluxionNN
import Foundation

extension PINNSolver {
    /// Writes a checkpoint (one NPZ file, atomically): parameters, optimizer state, weights, batch,
    /// refined points, key, steps and history; with time windows, the window and the parameters of
    /// the windows before it (`finished/k/…`).
    public func save(_ state: PINNState<Net>, to url: URL) throws {
        var members = TreeFile.members(state.parameters, prefix: "parameters")
        members.merge(TreeFile.members(state.optimizer, prefix: "optimizer")) { a, _ in a }
        members.merge(TreeFile.members(state.batch, prefix: "batch")) { a, _ in a }
        members["weights"] = state.weights
        members["refined"] = state.refined
        members["key"] = state.key.data
        let lbfgsStop = state.lbfgsStop.map { LBFGS.StopReason.allCases.firstIndex(of: $0)! } ?? -1
        members["step"] = Tensor([Int64(state.step), Int64(state.lbfgsIterations), Int64(lbfgsStop)])
        let columns = 4 + problem.termNames.count
        members["history"] = Tensor(state.history.flatMap { $0 }, shape: [state.history.count, columns])
        members["window"] = Tensor([Int64(state.window)])
        for (k, finished) in state.finished.enumerated() {
            members.merge(TreeFile.members(finished, prefix: "finished/\(k)")) { a, _ in a }
        }
        try TreeFile.writeAtomically(NPZ.encode(members), to: url)
    }

    /// Reads a checkpoint written by ``save(_:to:)`` for a network shaped like `network`; a file of
    /// another problem or model is a thrown error naming what does not fit.
    public func resume(_ network: Net, from url: URL) throws -> PINNState<Net> {
        let members = try TreeFile.readMembers(url)
        let file = url.path
        let template = try start(network, key: PRNGKey(seed: 0))
        let p = try TreeFile.tree(like: template.parameters, from: members, prefix: "parameters", file: file)
        let s = try TreeFile.tree(like: template.optimizer, from: members, prefix: "optimizer", file: file)
        let b = try TreeFile.tree(like: template.batch, from: members, prefix: "batch", file: file, checkingShapes: false)
        func member(_ name: String, _ shape: [Int]? = nil) throws -> Tensor {
            guard let t = members[name], shape.map({ $0 == t.shape }) ?? true else {
                throw TreeFileError.missing(parameter: name, file: file)
            }
            return t
        }
        let steps = try member("step", [3]).scalars(as: Int64.self)
        let stopIndex = Int(steps[2])
        guard stopIndex >= -1 && stopIndex < LBFGS.StopReason.allCases.count else {
            throw TreeFileError.missing(parameter: "step", file: file)
        }
        let history = try member("history")
        let columns = 4 + problem.termNames.count
        guard history.rank == 2, history.shape[1] == columns else { throw TreeFileError.missing(parameter: "history", file: file) }
        let h = history.doubles
        // Files from before time windows have no window: the first.
        let window = members["window"].map { Int($0.scalars(as: Int64.self).first ?? -1) } ?? 0
        guard window >= 0 && window < windowCount else { throw TreeFileError.missing(parameter: "window", file: file) }
        let finished = try (0..<window).map { k in
            try TreeFile.tree(like: template.parameters, from: members, prefix: "finished/\(k)", file: file)
        }
        return PINNState(parameters: p, optimizer: s, weights: try member("weights", [columns - 4]), batch: b,
                         refined: try member("refined"), key: PRNGKey(data: try member("key")), step: Int(steps[0]),
                         lbfgsIterations: Int(steps[1]), lbfgsStop: stopIndex < 0 ? nil : LBFGS.StopReason.allCases[stopIndex],
                         history: (0..<history.shape[0]).map { Array(h[($0 * columns)..<(($0 + 1) * columns)]) },
                         window: window, finished: finished)
    }
}
