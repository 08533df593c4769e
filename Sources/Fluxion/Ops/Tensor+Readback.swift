extension Tensor {
    /// The elements in row-major order as a Swift array of `T`, converting the dtype if it differs.
    ///
    /// ```swift
    /// Tensor([1.0, 2.0]).scalars(as: Double.self)   // [1.0, 2.0]
    /// ```
    public func scalars<T: TensorElement>(as: T.Type = T.self) -> [T] {
        let x = dtype == T.dtype ? self : cast(to: T.dtype)
        return x.concrete(for: "scalars(as:)").elements(as: T.self)
    }

    /// The single element of a one-element tensor.
    public func scalar<T: TensorElement>(as: T.Type = T.self) -> T {
        precondition(count == 1, "scalar(as:): the tensor has shape \(shape), not one element")
        return scalars(as: T.self)[0]
    }

    /// The single element of a one-element real tensor as a `Double`.
    public var item: Double { scalar(as: Double.self) }

    /// The elements converted to `Double` (the real part of complex elements).
    public var doubles: [Double] { scalars(as: Double.self) }
}
