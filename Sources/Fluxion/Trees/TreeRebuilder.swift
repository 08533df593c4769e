/// Rebuilding a tree through its `Decodable` conformance from a ``TreeStructure`` and leaves in
/// canonical order. Keyed containers are read by key, so the order in which a type decodes its
/// fields does not matter: each subtree knows the index of its first leaf.
final class TreeRebuilder: Decoder {
    /// A node with the index of its first leaf in the canonical order.
    final class Located {
        let node: TreeStructure.Node
        let firstLeaf: Int
        private(set) lazy var children: [Located] = {
            var start = firstLeaf
            let nodes: [TreeStructure.Node]
            switch node {
            case .keyed(_, let c), .unkeyed(let c): nodes = c
            default: nodes = []
            }
            return nodes.map { n in
                defer { start += TreeStructure(n).leafCount }
                return Located(n, firstLeaf: start)
            }
        }()
        private(set) lazy var byKey: [String: Located] = {
            guard case .keyed(let keys, _) = node else { return [:] }
            return Dictionary(uniqueKeysWithValues: zip(keys, children))
        }()
        init(_ node: TreeStructure.Node, firstLeaf: Int) {
            self.node = node
            self.firstLeaf = firstLeaf
        }
    }

    let here: Located
    let leaves: [Tensor]
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(_ here: Located, leaves: [Tensor]) {
        self.here = here
        self.leaves = leaves
    }

    static func rebuild<T: Decodable>(_ type: T.Type, _ structure: TreeStructure, leaves: [Tensor]) -> T {
        guard leaves.count == structure.leafCount else {
            shapeFailure("TensorTree", "\(T.self) with structure \(structure) has \(structure.leafCount) leaves, got \(leaves.count)")
        }
        do {
            return try TreeRebuilder(Located(structure.root, firstLeaf: 0), leaves: leaves).value(T.self)
        } catch {
            fatalError("TensorTree: cannot rebuild \(T.self) from the structure \(structure): \(error)")
        }
    }

    static func mismatch(_ what: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "tree structure does not match: \(what)"))
    }

    func value<T: Decodable>(_ type: T.Type) throws -> T {
        switch here.node {
        case .leaf:
            if T.self == Tensor.self { return unsafeBitCast(leaves[here.firstLeaf], to: T.self) }
            guard let t = leaves[here.firstLeaf] as? T else { throw Self.mismatch("a tensor where \(T.self) was expected") }
            return t
        case .value(let v):
            if let typed = v.base as? T { return typed }
            return try T(from: self)
        case .unkeyed(let children) where T.self == [Tensor].self && here.node.isListOfLeaves:
            // A list of tensors: its leaves, without decoding element by element.
            return unsafeBitCast(Array(leaves[here.firstLeaf..<(here.firstLeaf + children.count)]), to: T.self)
        default:
            return try T(from: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed = here.node else { throw Self.mismatch("expected a keyed container") }
        return KeyedDecodingContainer(Keyed<Key>(rebuilder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .unkeyed = here.node else { throw Self.mismatch("expected a list") }
        return Unkeyed(rebuilder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(rebuilder: self) }

    func child(_ located: Located) -> TreeRebuilder { TreeRebuilder(located, leaves: leaves) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let rebuilder: TreeRebuilder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] {
            guard case .keyed(let keys, _) = rebuilder.here.node else { return [] }
            return keys.compactMap { Key(stringValue: $0) }
        }
        func contains(_ key: Key) -> Bool { rebuilder.here.byKey[key.stringValue] != nil }
        private func at(_ key: Key) throws -> TreeRebuilder {
            guard let c = rebuilder.here.byKey[key.stringValue] else { throw TreeRebuilder.mismatch("no key \(key.stringValue)") }
            return rebuilder.child(c)
        }
        func decodeNil(forKey key: Key) throws -> Bool {
            if case .none = try at(key).here.node { return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try at(key).value(T.self) }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try at(key).container(keyedBy: N.self)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try at(key).unkeyedContainer() }
        func superDecoder() throws -> any Decoder {
            guard let c = rebuilder.here.byKey["super"] else { throw TreeRebuilder.mismatch("no superclass entry") }
            return rebuilder.child(c)
        }
        func superDecoder(forKey key: Key) throws -> any Decoder { try at(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let rebuilder: TreeRebuilder
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var count: Int? { rebuilder.here.children.count }
        var isAtEnd: Bool { currentIndex >= rebuilder.here.children.count }
        private mutating func next() throws -> TreeRebuilder {
            guard !isAtEnd else { throw TreeRebuilder.mismatch("the list has only \(currentIndex) elements") }
            defer { currentIndex += 1 }
            return rebuilder.child(rebuilder.here.children[currentIndex])
        }
        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .none = rebuilder.here.children[currentIndex].node else { return false }
            currentIndex += 1
            return true
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().value(T.self) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try next().container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let rebuilder: TreeRebuilder
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool {
            if case .none = rebuilder.here.node { return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try rebuilder.value(T.self) }
    }
}
