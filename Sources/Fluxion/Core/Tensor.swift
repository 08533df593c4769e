/// An n-dimensional array of one ``DType``, with value semantics.
///
/// Every operation on tensors is a primitive applied through one entry point, so the same code runs
/// eagerly or under a transform. Tensors are `Sendable`; their storage is never mutated after it
/// is created.
///
/// ```swift
/// let a = Tensor([1.0, 2.0, 3.0, 4.0], shape: [2, 2])
/// let b = (a * 2 + 1).sum(alongAxes: [0])     // [6.0, 14.0]
/// ```
public struct Tensor: Sendable {
    enum Storage: @unchecked Sendable {
        case concrete(ArrayValue)
        case traced(Tracer)
    }

    let storage: Storage

    init(array: ArrayValue) { storage = .concrete(array) }
    init(tracer: Tracer) { storage = .traced(tracer) }

    /// The abstract type (shape and dtype).
    public var type: TensorType {
        switch storage {
        case .concrete(let a): a.type
        case .traced(let t): t.type
        }
    }

    /// The extent of each axis, outermost first.
    public var shape: [Int] {
        switch storage {
        case .concrete(let a): a.shape
        case .traced(let t): t.type.shape
        }
    }

    public var dtype: DType {
        switch storage {
        case .concrete(let a): a.dtype
        case .traced(let t): t.type.dtype
        }
    }

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Whether the tensor holds a concrete value (not a tracer of an active transform).
    public var isConcrete: Bool {
        switch storage {
        case .concrete: return true
        case .traced(let t): return t.knownValue?.isConcrete ?? false
        }
    }

    /// The concrete array, or a stop naming the transform that is tracing this tensor.
    func concrete(for operation: String) -> ArrayValue {
        switch storage {
        case .concrete(let a):
            return a
        case .traced(let t):
            if let known = t.knownValue { return known.concrete(for: operation) }
            let why = t.interpreter.transformName == "vmap"
                ? "its value differs from one mapped slice to the next, so Swift control flow cannot depend on it"
                : "its value is not known while \(t.interpreter.transformName) traces the function"
            fatalError("""
                \(operation): cannot read the value of a tensor traced by \(t.interpreter.transformName) \
                (\(t.type)): \(why). Use `where` to choose between values elementwise, or read the value \
                outside the transform and pass it in (to jit, as a static argument).
                """)
        }
    }
}
