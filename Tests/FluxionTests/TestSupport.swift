import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

/// The reference values made by `Reference/make_reference.py` with NumPy and SciPy.
enum Reference {
    static let directory: URL = Bundle.module.url(forResource: "Reference", withExtension: nil)!

    static let values: [String: Tensor] = {
        do { return try NPZ.read(from: directory.appendingPathComponent("reference.npz")) } catch {
            fatalError("cannot load reference.npz: \(error)")
        }
    }()

    static subscript(_ key: String) -> Tensor {
        guard let t = values[key] else { fatalError("reference.npz has no entry \(key)") }
        return t
    }

    static func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
}
