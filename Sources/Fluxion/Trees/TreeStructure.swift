/// The shape of a tree apart from its tensors: which containers hold what, under which keys, and
/// the values of its non-tensor fields. Two trees with equal structures pair their leaves one to one.
///
/// Leaves are ordered canonically: keyed containers (structs and `[String: _]` dictionaries) visit
/// their entries with keys sorted, at every depth, so two dictionaries holding the same keys
/// flatten in the same order whatever their iteration order; arrays keep their order.
///
/// Non-tensor stored values (integers, flags, strings, numbers) are **static**: they are part of
/// the structure, compared by value. `jit` compiles once per structure, so a value that changes
/// from call to call (a step counter, a time) belongs in a scalar `Tensor`, which is a traced leaf.
///
/// ```swift
/// let (leaves, structure) = params.flattened()
/// let rebuilt = Params.unflatten(structure, leaves: leaves.map { $0 * 2 })
/// ```
public struct TreeStructure: Hashable, Sendable, CustomStringConvertible {
    indirect enum Node: Hashable, @unchecked Sendable {
        case leaf
        /// A static non-tensor value.
        case value(AnyHashable)
        /// A keyed container; keys sorted, children in the same order.
        case keyed([String], [Node])
        case unkeyed([Node])
        case none

        /// Whether this is a list whose elements are all tensors (`[Tensor]`).
        var isListOfLeaves: Bool {
            guard case .unkeyed(let children) = self else { return false }
            return children.allSatisfy { $0 == .leaf }
        }
    }

    let root: Node
    /// The number of tensors in the tree.
    public let leafCount: Int

    init(_ root: Node) {
        self.root = root
        leafCount = Self.countLeaves(root)
    }

    /// Whether this is the structure of a list of `count` tensors.
    func isListOfLeaves(_ count: Int) -> Bool { leafCount == count && root.isListOfLeaves }

    /// The structure of a single tensor.
    public static let tensor = TreeStructure(.leaf)

    private static func countLeaves(_ node: Node) -> Int {
        switch node {
        case .leaf: 1
        case .value, .none: 0
        case .keyed(_, let children), .unkeyed(let children): children.reduce(0) { $0 + countLeaves($1) }
        }
    }

    public var description: String { Self.describe(root) }

    /// The path of every leaf, in canonical order: keys and array positions joined by `/`
    /// (`"layers/0/weight"`); the empty string for a tree that is a single tensor. These name a
    /// tree's tensors in files (NPZ members), readable from NumPy.
    public var leafPaths: [String] {
        var paths: [String] = []
        func visit(_ node: Node, _ path: String) {
            func join(_ key: String) -> String { path.isEmpty ? key : path + "/" + key }
            switch node {
            case .leaf: paths.append(path)
            case .value, .none: break
            case .keyed(let keys, let children): for (k, c) in zip(keys, children) { visit(c, join(k)) }
            case .unkeyed(let children): for (i, c) in children.enumerated() { visit(c, join(String(i))) }
            }
        }
        visit(root, "")
        return paths
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .leaf: "*"
        case .value(let v): "\(v.base)"
        case .none: "nil"
        case .keyed(let keys, let children):
            "{" + zip(keys, children).map { "\($0): \(describe($1))" }.joined(separator: ", ") + "}"
        case .unkeyed(let children): "[" + children.map(describe).joined(separator: ", ") + "]"
        }
    }

    /// Where this structure first differs from `other`, as a path and a reason
    /// (`.layers["w2"]: a tensor here, 3 there`); nil when they are equal.
    public func difference(from other: TreeStructure) -> String? {
        Self.difference(root, other.root, path: "", words: ("here", "there"))
    }

    /// ``difference(from:)`` with the words that name the two sides (`"now"`, `"before"`).
    func difference(from other: TreeStructure, words: (String, String)) -> String? {
        Self.difference(root, other.root, path: "", words: words)
    }

    private static func difference(_ a: Node, _ b: Node, path: String, words: (String, String)) -> String? {
        let (here, there) = words
        let at = path.isEmpty ? "the root" : path
        switch (a, b) {
        case (.leaf, .leaf), (.none, .none): return nil
        case (.value(let x), .value(let y)):
            return x == y ? nil : "\(at): the static value \(x.base) \(here), \(y.base) \(there)"
        case (.keyed(let ka, let ca), .keyed(let kb, let cb)):
            if ka != kb {
                let missing = Set(kb).subtracting(ka).sorted(), extra = Set(ka).subtracting(kb).sorted()
                var parts: [String] = []
                if !extra.isEmpty { parts.append("keys \(extra) only \(here)") }
                if !missing.isEmpty { parts.append("keys \(missing) only \(there)") }
                return "\(at): " + parts.joined(separator: ", ")
            }
            for (k, (x, y)) in zip(ka, zip(ca, cb)) {
                if let d = difference(x, y, path: path + (Int(k) == nil ? ".\(k)" : "[\(k)]"), words: words) { return d }
            }
            return nil
        case (.unkeyed(let ca), .unkeyed(let cb)):
            if ca.count != cb.count { return "\(at): \(ca.count) elements \(here), \(cb.count) \(there)" }
            for (i, (x, y)) in zip(ca, cb).enumerated() {
                if let d = difference(x, y, path: path + "[\(i)]", words: words) { return d }
            }
            return nil
        default:
            return "\(at): \(kind(a)) \(here), \(kind(b)) \(there)"
        }
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .leaf: "a tensor"
        case .value(let v): "the value \(v.base)"
        case .none: "nil"
        case .keyed: "a keyed container"
        case .unkeyed(let c): "a list of \(c.count)"
        }
    }

    /// Stops with a message naming `operation` and the first difference when the structures differ.
    public func requireEqual(_ other: TreeStructure, _ operation: String) {
        guard self != other else { return }
        shapeFailure(operation, "the trees have different structures: " + (difference(from: other) ?? "\(self) and \(other)"))
    }
}
