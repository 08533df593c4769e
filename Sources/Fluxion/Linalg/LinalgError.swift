/// A failure of a linear-algebra routine that depends on the data, not on shapes.
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    /// Cholesky failed: the leading minor of order `order` of matrix `batchIndex` (in row-major
    /// order over the batch axes) is not positive definite.
    case notPositiveDefinite(operation: String, order: Int, batchIndex: Int)
    /// A factorization found an exactly zero pivot: matrix `batchIndex` is singular.
    case singular(operation: String, batchIndex: Int)
    /// Matrix `batchIndex` holds NaN where the operation reads it.
    case containsNaN(operation: String, batchIndex: Int)
    /// LAPACK rejected argument `argument` of `routine`: an internal error of Fluxion, not of the data.
    case invalidArgument(operation: String, routine: String, argument: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(op, order, b):
            "\(op): matrix \(b) is not positive definite (its leading minor of order \(order) is not)"
        case let .singular(op, b):
            "\(op): matrix \(b) is singular"
        case let .containsNaN(op, b):
            "\(op): matrix \(b) contains NaN"
        case let .invalidArgument(op, routine, argument):
            "\(op): LAPACK's \(routine) rejected its argument \(argument) (an internal error; please report it)"
        }
    }
}

/// Inspects an int32 status tensor of a factorization by LAPACK's `routine`: when it holds a concrete
/// value (not a tracer) and a matrix failed, throws: NaN in the input, an argument LAPACK rejected,
/// or the error `failure` builds from the failing batch index and a positive status.
func checkStatus(_ status: Tensor, _ operation: String, routine: String,
                 _ failure: (Int, Int) -> LinalgError) throws(LinalgError) {
    guard status.isConcrete else { return }
    let codes = status.scalars(as: Int32.self)
    guard let i = codes.firstIndex(where: { $0 != 0 }) else { return }
    if codes[i] == LinalgKernels.nanStatus { throw .containsNaN(operation: operation, batchIndex: i) }
    if codes[i] < 0 { throw .invalidArgument(operation: operation, routine: routine, argument: -Int(codes[i])) }
    throw failure(i, Int(codes[i]))
}
