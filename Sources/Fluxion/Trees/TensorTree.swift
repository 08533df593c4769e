/// A value made of tensors — a struct of parameters, an array or dictionary of tensors, nested
/// freely — that the transforms take and return (JAX's pytrees).
///
/// Any `Codable` type conforms in one line. Its leaves are its tensors in canonical order (keys of
/// structs and dictionaries sorted at every depth, arrays in order); its other stored values
/// (integers, strings, flags) are static parts of its ``TreeStructure``:
///
/// ```swift
/// struct Layer: TensorTree { var weight: Tensor; var bias: Tensor }
/// struct Model: TensorTree { var layers: [String: Layer]; var scale: Tensor; var name: String }
///
/// let g = grad { (m: Model) in loss(m) }(model)          // a Model holding the gradients
/// let updated = model.zipLeaves(g) { p, g in p - 0.1 * g }
/// ```
///
/// Dictionaries must have `String` (or `Int`) keys: other keys encode as lists in iteration order,
/// which has no canonical order.
public protocol TensorTree: Codable {
    /// The tensors of the tree in canonical order, and the tree's structure.
    func flattened() -> (leaves: [Tensor], structure: TreeStructure)
    /// The tree of the given structure holding `leaves` (in canonical order).
    static func unflatten(_ structure: TreeStructure, leaves: [Tensor]) -> Self
}

extension TensorTree {
    public func flattened() -> (leaves: [Tensor], structure: TreeStructure) {
        if let list = self as? [Tensor] {
            return (list, TreeStructure(.unkeyed(Array(repeating: .leaf, count: list.count))))
        }
        return TreeFlattener.flatten(self)
    }

    public static func unflatten(_ structure: TreeStructure, leaves: [Tensor]) -> Self {
        // A list of tensors (the commonest tree of all) is its leaves: no decoding.
        if Self.self == [Tensor].self, structure.isListOfLeaves(leaves.count) { return unsafeBitCast(leaves, to: Self.self) }
        return TreeRebuilder.rebuild(Self.self, structure, leaves: leaves)
    }

    /// The tensors of the tree, in canonical order.
    public var leaves: [Tensor] { flattened().leaves }

    /// The tree's structure: everything but its tensors.
    public var treeStructure: TreeStructure { flattened().structure }

    /// The same tree with its leaves replaced, in the order of ``leaves``.
    public func replacingLeaves(_ leaves: [Tensor]) -> Self { Self.unflatten(treeStructure, leaves: leaves) }
}

extension Tensor: TensorTree {
    public func flattened() -> (leaves: [Tensor], structure: TreeStructure) { ([self], .tensor) }
    public static func unflatten(_ structure: TreeStructure, leaves: [Tensor]) -> Tensor {
        guard structure == .tensor, leaves.count == 1 else {
            shapeFailure("TensorTree", "a Tensor has one leaf, got the structure \(structure) with \(leaves.count) leaves")
        }
        return leaves[0]
    }
}

extension Array: TensorTree where Element: TensorTree {}
extension Dictionary: TensorTree where Key: Codable, Value: TensorTree {}
extension Optional: TensorTree where Wrapped: TensorTree {}
