/// A value made of tensors — a struct of parameters, an array or dictionary of tensors, nested
/// freely — that the transforms take and return.
///
/// Any `Codable` type conforms in one line; the tree's leaves are its tensors, in the order its
/// `Codable` conformance visits them, and its other stored values (integers, strings, flags) are
/// carried along unchanged:
///
/// ```swift
/// struct Layer: TensorTree { var weight: Tensor; var bias: Tensor }
/// struct Model: TensorTree { var layers: [Layer]; var scale: Tensor; var name: String }
///
/// let g = grad { (m: Model) in loss(m) }(model)   // a Model holding the gradients
/// ```
public protocol TensorTree: Codable {
    /// The tensors of the tree, in a fixed order.
    var leaves: [Tensor] { get }
    /// The same tree with its leaves replaced, in the order of ``leaves``.
    func replacingLeaves(_ leaves: [Tensor]) -> Self
}

extension TensorTree {
    public var leaves: [Tensor] {
        let recorder = TreeRecorder()
        do { try encode(to: recorder) } catch { fatalError("TensorTree: cannot flatten \(Self.self): \(error)") }
        return recorder.leaves
    }

    public func replacingLeaves(_ leaves: [Tensor]) -> Self {
        let recorder = TreeRecorder()
        do {
            try encode(to: recorder)
            guard recorder.leaves.count == leaves.count else {
                fatalError("TensorTree: \(Self.self) has \(recorder.leaves.count) leaves, got \(leaves.count)")
            }
            return try Self(from: TreeReplayer(events: recorder.events, leaves: leaves))
        } catch {
            fatalError("TensorTree: cannot rebuild \(Self.self): \(error)")
        }
    }
}

extension Tensor: TensorTree {
    public var leaves: [Tensor] { [self] }
    public func replacingLeaves(_ leaves: [Tensor]) -> Tensor { leaves[0] }
}

extension Array: TensorTree where Element: TensorTree {
    public var leaves: [Tensor] { flatMap(\.leaves) }
    public func replacingLeaves(_ leaves: [Tensor]) -> [Element] {
        var start = 0
        return map { element in
            let n = element.leaves.count
            defer { start += n }
            return element.replacingLeaves([Tensor](leaves[start..<(start + n)]))
        }
    }
}

extension Dictionary: TensorTree where Key == String, Value: TensorTree {
    public var leaves: [Tensor] { keys.sorted().flatMap { self[$0]!.leaves } }
    public func replacingLeaves(_ leaves: [Tensor]) -> [String: Value] {
        var start = 0
        var out: [String: Value] = [:]
        for key in keys.sorted() {
            let n = self[key]!.leaves.count
            out[key] = self[key]!.replacingLeaves([Tensor](leaves[start..<(start + n)]))
            start += n
        }
        return out
    }
}

extension TensorTree {
    /// Applies `f` to every leaf.
    public func mapLeaves(_ f: (Tensor) -> Tensor) -> Self { replacingLeaves(leaves.map(f)) }

    /// Combines the leaves of two trees of the same structure.
    public func zipLeaves(_ other: Self, _ f: (Tensor, Tensor) -> Tensor) -> Self {
        replacingLeaves(zip(leaves, other.leaves).map(f))
    }
}
