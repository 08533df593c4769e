/// A failure of a linear-algebra routine that depends on the data, not on shapes.
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    /// Cholesky failed: the leading minor of order `order` of matrix `batchIndex` (in row-major
    /// order over the batch axes) is not positive definite.
    case notPositiveDefinite(operation: String, order: Int, batchIndex: Int)
    /// A factorization found an exactly zero pivot: matrix `batchIndex` is singular.
    case singular(operation: String, batchIndex: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(op, order, b):
            "\(op): matrix \(b) is not positive definite (its leading minor of order \(order) is not)"
        case let .singular(op, b):
            "\(op): matrix \(b) is singular"
        }
    }
}

/// Inspects an int32 status tensor of a factorization: when it holds a concrete value (not a tracer)
/// and a matrix failed, throws the error `failure` builds from the failing batch index and status.
func checkStatus(_ status: Tensor, _ failure: (Int, Int) -> LinalgError) throws(LinalgError) {
    guard status.isConcrete else { return }
    let codes = status.scalars(as: Int32.self)
    if let i = codes.firstIndex(where: { $0 != 0 }) { throw failure(i, Int(codes[i])) }
}
