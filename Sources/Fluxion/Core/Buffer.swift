/// Raw, 64-byte aligned, immutable-after-construction storage for a concrete tensor.
///
/// A buffer is written only while the kernel that creates it runs; afterwards it is shared by value
/// semantics of ``Tensor`` and never mutated, which is what makes it safe to send between threads.
final class Buffer: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        raw = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    }

    deinit { raw.deallocate() }

    func pointer<T>(as: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }
}

/// A concrete, contiguous, row-major array: the value the eager interpreter computes with.
struct ArrayValue: @unchecked Sendable {
    let buffer: Buffer
    let shape: [Int]
    let dtype: DType

    var count: Int { shape.reduce(1, *) }
    var type: TensorType { TensorType(shape: shape, dtype: dtype) }

    /// An uninitialized array; the caller fills every element before sharing it.
    init(uninitialized shape: [Int], dtype: DType) {
        self.shape = shape
        self.dtype = dtype
        buffer = Buffer(byteCount: shape.reduce(1, *) * dtype.byteSize)
    }

    init(buffer: Buffer, shape: [Int], dtype: DType) {
        self.buffer = buffer
        self.shape = shape
        self.dtype = dtype
    }

    /// A zero-filled array.
    static func zeros(_ shape: [Int], dtype: DType) -> ArrayValue {
        let a = ArrayValue(uninitialized: shape, dtype: dtype)
        a.buffer.raw.initializeMemory(as: UInt8.self, repeating: 0, count: a.buffer.byteCount)
        return a
    }

    /// An array from typed elements.
    init<T: TensorElement>(_ elements: [T], shape: [Int]) {
        self.init(uninitialized: shape, dtype: T.dtype)
        let p = buffer.pointer(as: T.self)
        elements.withUnsafeBufferPointer { src in
            p.initialize(from: src.baseAddress!, count: src.count)
        }
    }

    /// The same data with another shape of equal element count (no copy).
    func reshaped(_ newShape: [Int]) -> ArrayValue {
        ArrayValue(buffer: buffer, shape: newShape, dtype: dtype)
    }

    func pointer<T>(as: T.Type) -> UnsafeMutablePointer<T> { buffer.pointer(as: T.self) }

    func elements<T: TensorElement>(as: T.Type) -> [T] {
        precondition(T.dtype == dtype, "elements(as:): the tensor holds \(dtype), not \(T.dtype)")
        return Array(UnsafeBufferPointer(start: pointer(as: T.self), count: count))
    }
}

/// The abstract value of a tensor: its shape and dtype. Shape inference works on these.
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public var shape: [Int]
    public var dtype: DType
    public init(shape: [Int], dtype: DType) {
        self.shape = shape
        self.dtype = dtype
    }
    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }
    public var description: String { "\(dtype)\(shape)" }
}
