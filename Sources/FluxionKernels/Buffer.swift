import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Raw, aligned (64 bytes, or 16 for buffers under 256 bytes), immutable-after-construction storage
/// for a concrete tensor.
///
/// A buffer is written only while the kernel that creates it runs; afterwards it is shared by value
/// semantics of ``Tensor`` and never mutated, which is what makes it safe to send between threads.
/// Large buffers come from and return to ``BufferCache``.
@usableFromInline package final class Buffer: @unchecked Sendable {
    @usableFromInline package let raw: UnsafeMutableRawPointer
    package let byteCount: Int

    package init(byteCount: Int) {
        self.byteCount = byteCount
        raw = BufferCache.allocate(byteCount: byteCount)
    }

    deinit { BufferCache.release(raw, byteCount: byteCount) }

    @inlinable package func pointer<T>(as: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }
}

/// Keeps freed large buffers for reuse by the next buffer of the same size.
///
/// A fresh multi-megabyte allocation is mapped by the kernel page by page on first touch, which costs
/// about a quarter of an FFT of the same size; eager code allocates a result of the same size over and
/// over (a training loop, a time-stepping loop), so reusing the last one removes that cost. Small
/// buffers go straight to malloc, which already recycles them well.
package enum BufferCache {
    /// Buffers smaller than this are only 16-byte aligned.
    package static let smallBytes = 256
    /// Buffers smaller than this are not cached.
    package static let minimumCachedBytes = 1 << 16
    /// The most memory the cache holds on to; beyond it, released buffers are freed.
    package static let capacityBytes = 1 << 29

    /// A cached block; only the cache, under its lock, touches it.
    private struct Block: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    private struct State: ~Copyable {
        var free: [Int: [Block]] = [:]
        var cachedBytes = 0
    }

    private static let state = Mutex(State())

    package static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= minimumCachedBytes {
            let reused = state.withLock { s -> Block? in
                guard let b = s.free[byteCount]?.popLast() else { return nil }
                s.cachedBytes -= byteCount
                return b
            }
            if let reused { return reused.pointer }
        }
        // Cache-line alignment for anything a vectorized kernel may stream through; malloc's own
        // 16-byte alignment for the tiny buffers of scalars and short vectors (no memalign call:
        // its slower path is a fifth of a jitted scalar function's call).
        var pointer: UnsafeMutableRawPointer?
        if byteCount >= smallBytes {
            if posix_memalign(&pointer, 64, byteCount) != 0 { pointer = nil }
        } else {
            pointer = malloc(max(byteCount, 1))
        }
        guard let pointer else { shapeFailure("tensor allocation", "out of memory: cannot allocate \(byteCount) bytes") }
        return pointer
    }

    package static func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= minimumCachedBytes {
            let block = Block(pointer: pointer)
            let kept = state.withLock { s -> Bool in
                guard s.cachedBytes + byteCount <= capacityBytes else { return false }
                s.free[byteCount, default: []].append(block)
                s.cachedBytes += byteCount
                return true
            }
            if kept { return }
        }
        free(pointer)
    }

    /// Frees every cached buffer.
    package static func clear() {
        let blocks = state.withLock { s -> [Block] in
            defer { s.free = [:]; s.cachedBytes = 0 }
            return s.free.values.flatMap { $0 }
        }
        blocks.forEach { free($0.pointer) }
    }
}

/// A concrete, contiguous, row-major array: the value the eager interpreter computes with.
@usableFromInline package struct ArrayValue: @unchecked Sendable {
    @usableFromInline package let buffer: Buffer
    @usableFromInline package let shape: [Int]
    @usableFromInline package let dtype: DType

    @inlinable package var count: Int { shape.reduce(1, *) }
    package var type: TensorType { TensorType(shape: shape, dtype: dtype) }

    /// An uninitialized array; the caller fills every element before sharing it.
    @usableFromInline package init(uninitialized shape: [Int], dtype: DType) {
        self.shape = shape
        self.dtype = dtype
        buffer = Buffer(byteCount: checkedElementCount(shape, "tensor allocation") * dtype.byteSize)
    }

    package init(buffer: Buffer, shape: [Int], dtype: DType) {
        self.buffer = buffer
        self.shape = shape
        self.dtype = dtype
    }

    /// A zero-filled array.
    package static func zeros(_ shape: [Int], dtype: DType) -> ArrayValue {
        let a = ArrayValue(uninitialized: shape, dtype: dtype)
        a.buffer.raw.initializeMemory(as: UInt8.self, repeating: 0, count: a.buffer.byteCount)
        return a
    }

    /// An array from typed elements.
    @inlinable package init<T: TensorElement>(_ elements: [T], shape: [Int]) {
        self.init(uninitialized: shape, dtype: T.dtype)
        let p = buffer.pointer(as: T.self)
        elements.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { p.initialize(from: base, count: src.count) }
        }
    }

    /// The same data with another shape of equal element count (no copy).
    package func reshaped(_ newShape: [Int]) -> ArrayValue {
        ArrayValue(buffer: buffer, shape: newShape, dtype: dtype)
    }

    @inlinable package func pointer<T>(as: T.Type) -> UnsafeMutablePointer<T> { buffer.pointer(as: T.self) }

    @inlinable package func elements<T: TensorElement>(as: T.Type) -> [T] {
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
