import Fluxion
import FluxionNN
import Foundation

extension Simulation {
    /// Writes everything a resumed run needs to continue bit for bit — the state, the neighbor list's
    /// reference (the list is rebuilt from it exactly), the thermo log, the RDF and the unwrapped
    /// positions — as one NPZ file, atomically. `extra` members are stored too (a caller's own
    /// bookkeeping, such as how much of a trajectory file belongs to this state).
    public func save(_ s: MDState, to url: URL, extra: [String: Tensor] = [:]) throws {
        var m = TreeFile.members(s, prefix: "state")
        m["state_box"] = s.box.matrix
        m["state_periodic"] = Tensor(s.box.periodic.map { $0 ? 1.0 : 0.0 })
        m["state_step"] = Tensor(Int64(s.step))
        if let reference = forces.neighborReference {
            m["neighbors_reference"] = Tensor(reference.fractional)
            m["neighbors_box"] = reference.box.matrix
        }
        m["thermo"] = Tensor(thermo.flatMap(\.values), shape: [thermo.count, ThermoRecord.columns.count])
        if let unwrapper {
            m["unwrapped"] = Tensor(unwrapper.positions)
            m["unwrapped_last"] = Tensor(unwrapper.lastPositions)
            m["origin"] = Tensor(origin)
        }
        if let rdf {
            m["rdf_counts"] = Tensor(rdf.counts)
            m["rdf_state"] = Tensor([Double(rdf.frames), rdf.normalizationSum, rdf.maximum, Double(rdf.bins)])
        }
        for (k, v) in extra { m["extra_" + k] = v }
        try TreeFile.writeAtomically(NPZ.encode(m), to: url)
    }

    /// Reads a checkpoint written by ``save(_:to:extra:)`` for this simulation's system (`like`: a
    /// state of the same shape, e.g. the one ``start(positions:velocities:masses:box:key:)`` made);
    /// returns the state and the extra members. A file of another system is an error naming the member.
    public func resume(like template: MDState, from url: URL) throws -> (MDState, [String: Tensor]) {
        let m = try TreeFile.readMembers(url)
        let file = url.path
        func member(_ name: String, _ count: Int? = nil) throws -> Tensor {
            guard let t = m[name], t.dtype == (name == "state_step" ? .int64 : .float64),
                  count.map({ t.shape.reduce(1, *) == $0 }) ?? true else {
                throw TreeFileError.missing(parameter: name, file: file)
            }
            return t
        }
        let d = template.dimension
        var state = try TreeFile.tree(like: template, from: m.filter { $0.key.hasPrefix("state/") }, prefix: "state", file: file,
                                      checkingShapes: false)
        guard state.positions.shape == template.positions.shape, state.velocities.shape == template.positions.shape else {
            throw TreeFileError.mismatch(parameter: "state/positions", expected: template.positions.type, found: state.positions.type, file: file)
        }
        let periodic = try member("state_periodic", d).doubles.map { $0 != 0 }
        state.box = try SimulationBox(vectors: rows(try member("state_box", d * d).doubles, d), periodic: periodic)
        state.step = Int(try member("state_step", 1).scalar(as: Int64.self))
        if m["neighbors_reference"] != nil {
            let reference = try member("neighbors_reference", template.atomCount * d).doubles
            let box = try SimulationBox(vectors: rows(try member("neighbors_box", d * d).doubles, d), periodic: periodic)
            try forces.restoreNeighborList(fractional: reference, box: box)
        }
        let log = try member("thermo")
        guard log.rank == 2, log.shape[1] == ThermoRecord.columns.count else { throw TreeFileError.missing(parameter: "thermo", file: file) }
        let values = log.doubles, width = ThermoRecord.columns.count
        thermo = (0..<log.shape[0]).map { ThermoRecord(Array(values[($0 * width)..<(($0 + 1) * width)])) }
        if m["unwrapped"] != nil {
            let n = template.atomCount * d
            unwrapper = Unwrapper(positions: try member("unwrapped", n).doubles, last: try member("unwrapped_last", n).doubles)
            origin = try member("origin", n).doubles
        }
        if m["rdf_counts"] != nil {
            let r = try member("rdf_state", 4).doubles
            var distribution = try RadialDistribution(maximum: r[2], bins: Int(r[3]))
            distribution.restore(counts: try member("rdf_counts", Int(r[3])).doubles, frames: Int(r[0]), normalization: r[1])
            rdf = distribution
        } else {
            rdf = nil
        }
        var extra: [String: Tensor] = [:]
        for (k, v) in m where k.hasPrefix("extra_") { extra[String(k.dropFirst(6))] = v }
        return (state, extra)
    }
}

func rows(_ flat: [Double], _ d: Int) -> [[Double]] { (0..<d).map { Array(flat[($0 * d)..<(($0 + 1) * d)]) } }
