/// Flattening and rebuilding trees through their `Codable` conformance: ``TreeRecorder`` encodes a
/// value into a flat list of events (tensors become leaves, other values are recorded as they are),
/// and ``TreeReplayer`` decodes the same events back, taking the tensors from a new list of leaves.
/// Synthesized `Codable` conformances visit the stored properties in the same order when encoding
/// and decoding, so the replay lines up.
enum TreeEvent {
    case leaf
    case value(Any)
    case keyed([String])
    case unkeyed(Int)
    case nilValue
}

struct TreeCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

final class TreeRecorder: Encoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    var events: [TreeEvent] = []
    var leaves: [Tensor] = []

    func record(_ value: some Encodable) throws {
        if let t = value as? Tensor {
            events.append(.leaf)
            leaves.append(t)
        } else if Self.isPlain(value) {
            events.append(.value(value))
        } else {
            try value.encode(to: self)
        }
    }

    static func isPlain(_ value: Any) -> Bool {
        value is String || value is Bool || value is Double || value is Float || value is Int || value is Int8
            || value is Int16 || value is Int32 || value is Int64 || value is UInt || value is UInt8 || value is UInt16
            || value is UInt32 || value is UInt64
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let index = events.count
        events.append(.keyed([]))
        return KeyedEncodingContainer(Keyed<Key>(recorder: self, index: index))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let index = events.count
        events.append(.unkeyed(0))
        return Unkeyed(recorder: self, index: index)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(recorder: self) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let recorder: TreeRecorder
        let index: Int
        var codingPath: [any CodingKey] { [] }
        private func note(_ key: Key) {
            if case .keyed(let keys) = recorder.events[index] { recorder.events[index] = .keyed(keys + [key.stringValue]) }
        }
        mutating func encodeNil(forKey key: Key) throws { note(key); recorder.events.append(.nilValue) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { note(key); try recorder.record(value) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            note(key)
            return recorder.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            note(key)
            return recorder.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { recorder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { note(key); return recorder }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let recorder: TreeRecorder
        let index: Int
        var codingPath: [any CodingKey] { [] }
        var count: Int {
            if case .unkeyed(let n) = recorder.events[index] { return n }
            return 0
        }
        private func note() { recorder.events[index] = .unkeyed(count + 1) }
        mutating func encodeNil() throws { note(); recorder.events.append(.nilValue) }
        mutating func encode<T: Encodable>(_ value: T) throws { note(); try recorder.record(value) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            note()
            return recorder.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { note(); return recorder.unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { recorder }
    }

    struct Single: SingleValueEncodingContainer {
        let recorder: TreeRecorder
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { recorder.events.append(.nilValue) }
        mutating func encode<T: Encodable>(_ value: T) throws { try recorder.record(value) }
    }
}

final class TreeReplayer: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    private let events: [TreeEvent]
    private let leaves: [Tensor]
    private var position = 0
    private var leafPosition = 0

    init(events: [TreeEvent], leaves: [Tensor]) {
        self.events = events
        self.leaves = leaves
    }

    private func next() -> TreeEvent {
        defer { position += 1 }
        return events[position]
    }

    private func peekIsNil() -> Bool {
        if position < events.count, case .nilValue = events[position] { return true }
        return false
    }

    func replay<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Tensor.self {
            guard case .leaf = next() else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "tree structure changed")) }
            defer { leafPosition += 1 }
            return leaves[leafPosition] as! T
        }
        if position < events.count, case .value(let v) = events[position], let typed = v as? T {
            position += 1
            return typed
        }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let keys) = next() else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "tree structure changed"))
        }
        return KeyedDecodingContainer(Keyed<Key>(replayer: self, keys: keys))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .unkeyed(let n) = next() else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "tree structure changed"))
        }
        return Unkeyed(replayer: self, count: n)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(replayer: self) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let replayer: TreeReplayer
        let keys: [String]
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { keys.contains(key.stringValue) }
        func decodeNil(forKey key: Key) throws -> Bool {
            if replayer.peekIsNil() { replayer.position += 1; return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try replayer.replay(T.self) }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try replayer.container(keyedBy: N.self)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try replayer.unkeyedContainer() }
        func superDecoder() throws -> any Decoder { replayer }
        func superDecoder(forKey key: Key) throws -> any Decoder { replayer }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let replayer: TreeReplayer
        let total: Int
        var currentIndex = 0
        init(replayer: TreeReplayer, count: Int) {
            self.replayer = replayer
            total = count
        }
        var codingPath: [any CodingKey] { [] }
        var count: Int? { total }
        var isAtEnd: Bool { currentIndex >= total }
        mutating func decodeNil() throws -> Bool {
            if replayer.peekIsNil() { replayer.position += 1; currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            defer { currentIndex += 1 }
            return try replayer.replay(T.self)
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            currentIndex += 1
            return try replayer.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            currentIndex += 1
            return try replayer.unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder { replayer }
    }

    struct Single: SingleValueDecodingContainer {
        let replayer: TreeReplayer
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool {
            if replayer.peekIsNil() { replayer.position += 1; return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try replayer.replay(T.self) }
    }
}
