/// Flattening a tree through its `Encodable` conformance: the encoder builds a node per container
/// and value; tensors become leaves, other plain values static values. Finishing sorts keyed
/// containers by key, which gives the canonical leaf order.
final class TreeFlattener: Encoder {
    /// A node under construction.
    final class Builder {
        enum Kind { case empty, leaf(Tensor), leaves([Tensor]), value(AnyHashable), keyed, unkeyed, none }
        var kind = Kind.empty
        var keyed: [(String, Builder)] = []
        var unkeyed: [Builder] = []

        func child(_ key: String) -> Builder {
            kind = .keyed
            let b = Builder()
            keyed.append((key, b))
            return b
        }

        func element() -> Builder {
            kind = .unkeyed
            let b = Builder()
            unkeyed.append(b)
            return b
        }

        /// Types are compared by identity first (a metadata comparison), since a dynamic cast per
        /// value was most of the cost of a jitted call with tree arguments: a tensor is a leaf, a
        /// plain value (one conformance check) a static value, anything else is encoded further. A
        /// list of tensors (a model's layers, an optimizer's slots) is taken whole.
        func record<T: Encodable>(_ value: T) throws {
            if T.self == Tensor.self {
                kind = .leaf(unsafeBitCast(value, to: Tensor.self))
            } else if T.self == [Tensor].self {
                kind = .leaves(unsafeBitCast(value, to: [Tensor].self))
            } else if let plain = value as? any PlainTreeValue {
                kind = .value(AnyHashable(plain))
            } else {
                try value.encode(to: TreeFlattener(self))
            }
        }

        /// The canonical node, appending leaves in canonical order.
        func finish(_ leaves: inout [Tensor]) -> TreeStructure.Node {
            switch kind {
            case .empty: return .keyed([], [])
            case .leaf(let t): leaves.append(t); return .leaf
            case .leaves(let list): leaves.append(contentsOf: list); return .unkeyed(Array(repeating: .leaf, count: list.count))
            case .value(let v): return .value(v)
            case .none: return .none
            case .unkeyed: return .unkeyed(unkeyed.map { $0.finish(&leaves) })
            case .keyed:
                // Sorted by key, stably; later writes to the same key win, as in other encoders.
                let order = keyed.indices.sorted { i, j in keyed[i].0 != keyed[j].0 ? keyed[i].0 < keyed[j].0 : i < j }
                var keys: [String] = [], children: [TreeStructure.Node] = []
                for (position, i) in order.enumerated() where position + 1 == order.count || keyed[order[position + 1]].0 != keyed[i].0 {
                    keys.append(keyed[i].0)
                    children.append(keyed[i].1.finish(&leaves))
                }
                return .keyed(keys, children)
            }
        }
    }

    let target: Builder
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(_ target: Builder) { self.target = target }

    /// The leaves and structure of `value`.
    static func flatten(_ value: some Encodable) -> ([Tensor], TreeStructure) {
        let root = Builder()
        do { try root.record(value) } catch { fatalError("TensorTree: cannot flatten \(type(of: value)): \(error)") }
        var leaves: [Tensor] = []
        let node = root.finish(&leaves)
        return (leaves, TreeStructure(node))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        target.kind = .keyed
        return KeyedEncodingContainer(Keyed<Key>(target: target))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        target.kind = .unkeyed
        return Unkeyed(target: target)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(target: target) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let target: Builder
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { target.child(key.stringValue).kind = .none }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try target.child(key.stringValue).record(value) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            TreeFlattener(target.child(key.stringValue)).container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeFlattener(target.child(key.stringValue)).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeFlattener(target.child("super")) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeFlattener(target.child(key.stringValue)) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let target: Builder
        var codingPath: [any CodingKey] { [] }
        var count: Int { target.unkeyed.count }
        mutating func encodeNil() throws { target.element().kind = .none }
        mutating func encode<T: Encodable>(_ value: T) throws { try target.element().record(value) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            TreeFlattener(target.element()).container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { TreeFlattener(target.element()).unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { TreeFlattener(target.element()) }
    }

    struct Single: SingleValueEncodingContainer {
        let target: Builder
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { target.kind = .none }
        mutating func encode<T: Encodable>(_ value: T) throws { try target.record(value) }
    }
}

/// The plain values a tree may hold beside its tensors (static values: part of its structure).
protocol PlainTreeValue: Hashable {}
extension String: PlainTreeValue {}
extension Bool: PlainTreeValue {}
extension Int: PlainTreeValue {}
extension Double: PlainTreeValue {}
extension Float: PlainTreeValue {}
extension Int64: PlainTreeValue {}
extension Int32: PlainTreeValue {}
extension Int16: PlainTreeValue {}
extension Int8: PlainTreeValue {}
extension UInt: PlainTreeValue {}
extension UInt64: PlainTreeValue {}
extension UInt32: PlainTreeValue {}
extension UInt16: PlainTreeValue {}
extension UInt8: PlainTreeValue {}
