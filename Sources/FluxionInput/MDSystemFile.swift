import FluxionMD
import Foundation

/// A starting configuration read from an extended XYZ file (its last frame): positions, cell,
/// species, and velocities and masses when the file has them.
public struct MDSystemFile: Sendable {
    public var species: [String]
    public var positions: [Double]
    public var box: SimulationBox
    /// From a `velo`/`velocities` column, or `momenta` divided by the masses.
    public var velocities: [Double]?
    /// From a `masses` column.
    public var masses: [Double]?

    public var atomCount: Int { species.count }

    /// Reads and checks the text of a file (`file` names it in errors).
    public static func parse(_ text: String, file: String) throws(InputError) -> MDSystemFile {
        let frames: [XYZFrame]
        do { frames = try ExtendedXYZ.read(text, file: file) } catch { throw InputError(file: file, "line " + error.message.dropPrefix(file + ":")) }
        guard let frame = frames.last, frame.atomCount > 0 else { throw InputError(file: file, "no atoms (an extended XYZ file with at least one frame is needed)") }
        let box: SimulationBox
        do { box = try frame.box() } catch { throw InputError(file: file, error.message) }
        var masses: [Double]?
        if let m = frame.column("masses") {
            guard m.kind == .real, m.width == 1, m.numbers.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw InputError(file: file, "masses: must be one positive real per atom")
            }
            masses = m.numbers
        }
        var velocities: [Double]?
        if let v = frame.column("velo") ?? frame.column("velocities") ?? frame.column("vel") {
            guard v.kind == .real, v.width == 3, v.numbers.allSatisfy(\.isFinite) else { throw InputError(file: file, "\(v.name): must be 3 finite reals per atom") }
            velocities = v.numbers
        } else if let p = frame.column("momenta") {
            guard p.kind == .real, p.width == 3, p.numbers.allSatisfy(\.isFinite) else { throw InputError(file: file, "momenta: must be 3 finite reals per atom") }
            velocities = p.numbers.enumerated().map { $1 / (masses?[$0 / 3] ?? 1) }
        }
        return MDSystemFile(species: frame.species, positions: frame.positions, box: box, velocities: velocities, masses: masses)
    }

    /// Reads a file from disk (at most 1 GiB).
    public static func read(_ url: URL) throws(InputError) -> MDSystemFile {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= 1 << 30 else { throw InputError(file: url.path, "larger than 1 GiB") }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(file: url.path, "cannot read the file (\((error as NSError).localizedDescription))")
        }
        return try parse(text, file: url.path)
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : self }
}
