import ComplexModule

/// Tensors encode as `{"dtype": …, "shape": […], "data": […]}` with the elements in row-major
/// order (complex elements as `[re, im]` pairs), so models and states can be saved with any Swift
/// encoder. Inside a ``TensorTree`` a tensor is a leaf instead.
extension Tensor: Codable {
    private enum Keys: String, CodingKey { case dtype, shape, data }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(dtype.rawValue, forKey: .dtype)
        try c.encode(shape, forKey: .shape)
        switch dtype {
        case .bool: try c.encode(scalars(as: Bool.self), forKey: .data)
        case .int32, .int64: try c.encode(scalars(as: Int64.self), forKey: .data)
        case .float32, .float64: try c.encode(scalars(as: Double.self), forKey: .data)
        case .complex64, .complex128:
            let re = real(self).doubles, im = imag(self).doubles
            try c.encode(zip(re, im).map { [$0, $1] }, forKey: .data)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let name = try c.decode(String.self, forKey: .dtype)
        guard let dtype = DType(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .dtype, in: c, debugDescription: "unknown dtype \(name)")
        }
        let shape = try c.decode([Int].self, forKey: .shape)
        guard let count = elementCount(shape) else {
            throw DecodingError.dataCorruptedError(forKey: .shape, in: c, debugDescription:
                "shape \(shape) has a negative extent or more than 2^48 elements")
        }
        func check(_ n: Int) throws {
            guard n == count else {
                throw DecodingError.dataCorruptedError(forKey: .data, in: c, debugDescription: "\(n) values for shape \(shape)")
            }
        }
        switch dtype {
        case .bool:
            let v = try c.decode([Bool].self, forKey: .data); try check(v.count)
            self = Tensor(v, shape: shape)
        case .int32, .int64:
            let v = try c.decode([Int64].self, forKey: .data); try check(v.count)
            self = Tensor(v, shape: shape).cast(to: dtype)
        case .float32, .float64:
            let v = try c.decode([Double].self, forKey: .data); try check(v.count)
            self = Tensor(v, shape: shape).cast(to: dtype)
        case .complex64, .complex128:
            let v = try c.decode([[Double]].self, forKey: .data); try check(v.count)
            guard v.allSatisfy({ $0.count == 2 }) else {
                throw DecodingError.dataCorruptedError(forKey: .data, in: c, debugDescription: "complex values must be [re, im] pairs")
            }
            self = Tensor(v.map { Complex($0[0], $0[1]) }, shape: shape).cast(to: dtype)
        }
    }
}
