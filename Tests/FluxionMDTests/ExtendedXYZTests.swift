import Fluxion
@testable import FluxionMD
import Foundation
import Testing

@Suite("Extended XYZ")
struct ExtendedXYZTests {
    struct ASEFrame: Decodable {
        let symbols: [String], positions: [Double], cell: [Double], pbc: [Bool], momenta: [Double]
        let energy: Double?, forces: [Double]?
    }

    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "xyz", subdirectory: "Reference"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Files written by ASE read as ASE reads them (ase.json holds ASE's own reading).
    @Test(arguments: ["ase_triclinic", "ase_molecule", "ase_slab"])
    func readsWhatASEWrites(name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "ase", withExtension: "json", subdirectory: "Reference"))
        let expected = try #require(try JSONDecoder().decode([String: [ASEFrame]].self, from: Data(contentsOf: url))[name])
        let frames = try ExtendedXYZ.read(try Self.text(name), file: name)
        #expect(frames.count == expected.count)
        for (frame, ase) in zip(frames, expected) {
            #expect(frame.species == ase.symbols)
            #expect(zip(frame.positions, ase.positions).allSatisfy { abs($0 - $1) < 1e-8 })
            #expect(frame.pbc == ase.pbc)
            if ase.cell.contains(where: { $0 != 0 }) {
                #expect(zip(try #require(frame.lattice).joined(), ase.cell).allSatisfy { abs($0 - $1) < 1e-12 })
            }
            if let energy = ase.energy { #expect(frame.value("energy")?.number == energy) }
            if let forces = ase.forces {
                #expect(zip(try #require(frame.column("forces")).numbers, forces).allSatisfy { abs($0 - $1) < 1e-8 })
            }
            if ase.momenta.contains(where: { $0 != 0 }) {
                #expect(zip(try #require(frame.column("momenta")).numbers, ase.momenta).allSatisfy { abs($0 - $1) < 1e-7 })
            }
            let box = try frame.box()
            #expect(box.periodic == (frame.lattice == nil ? [false, false, false] : ase.pbc))
        }
    }

    /// Writing then reading gives the same frames; the header is laid out as ASE lays it out.
    @Test func writeThenReadRoundTrips() throws {
        let frames = try ExtendedXYZ.read(try Self.text("ase_triclinic"))
        let text = ExtendedXYZ.write(frames)
        #expect(try ExtendedXYZ.read(text) == frames)
        let header = text.split(separator: "\n")[1]
        #expect(header.hasPrefix("Lattice=\"5.0 0.0 0.0 1.0 6.0 0.0 0.5 0.2 7.0\" Properties=species:S:1:pos:R:3:momenta:R:3:forces:R:3 "))
        #expect(header.hasSuffix("pbc=\"T T T\""))
        // ASE's own text, byte for byte, for the atom lines.
        let original = try Self.text("ase_triclinic").split(separator: "\n")
        #expect(Array(text.split(separator: "\n")[2..<7]) == Array(original[2..<7]))
    }

    /// A malformed file is a thrown error that names the line.
    @Test(arguments: [
        ("2\ncomment\nH 0 0 0\n", ":1: the frame declares 2 atoms"),
        ("x\n", ":1: expected the number of atoms"),
        ("1\nProperties=species:S:1:pos:R:3\nH 0 0\n", ":3: expected 4 fields"),
        ("1\nProperties=species:S:1:pos:R:3\nH 0 zero 0\n", ":3: pos: \"zero\" is not a finite number"),
        ("1\nLattice=\"1 0 0 0 1 0 0 0\"\nH 0 0 0\n", ":2: Lattice must be 9 numbers"),
        ("1\nLattice=\"1 0 0 0 1 0 0 0 1\nH 0 0 0\n", ":2: an unclosed \""),
        ("1\nProperties=species:S:1:pos:Q:3\nH 0 0 0\n", ":2: Properties: \"pos:Q:3\""),
        ("1\nProperties=pos:R:3\n0 0 0\n", ":2: Properties must include species:S:1 and pos:R:3"),
        ("1\npbc=\"T T T\"\nH 0 0 0\n", ":2: pbc is periodic but the frame has no Lattice"),
        ("1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 2 x\n", ":3: forces: \"x\" is not a number"),
    ])
    func malformedFilesNameTheLine(text: String, message: String) {
        #expect {
            try ExtendedXYZ.read(text, file: "bad.xyz")
        } throws: { error in
            "\(error)".hasPrefix("bad.xyz") && "\(error)".contains(message)
        }
    }

    /// A singular or inverted lattice is an error when the frame's box is asked for.
    /// A species whose characters are longer than one UTF-16 unit (a replacement character with a
    /// combining mark, from a fuzzing finding) is written whole, and reads back the same.
    @Test func speciesWithCombiningMarksRoundTrip() throws {
        let frame = XYZFrame(species: ["\u{FFFD}\u{07EB}\u{FFFD}", "Ar"], positions: [0, 0, 0, 1, 1, 1])
        let again = try ExtendedXYZ.read(ExtendedXYZ.format(frame))
        #expect(again.count == 1 && again[0].species == frame.species)
    }

    @Test func degenerateLatticeIsAnError() throws {
        let frames = try ExtendedXYZ.read("1\nLattice=\"1 0 0 0 1 0 0 0 0\"\nH 0 0 0\n")
        #expect(throws: MDError.self) { try frames[0].box() }
    }
}
