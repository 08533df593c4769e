/// Stops with a message naming the operation: the form every shape or dtype error takes.
package func shapeFailure(_ operation: String, _ message: String) -> Never {
    fatalError("\(operation): \(message)")
}

/// The largest number of elements a tensor may have, 2⁴⁸: far beyond any memory, and small enough
/// that element counts and byte sizes below it are computed without overflow.
package let maximumElementCount = 1 << 48

/// The number of elements of `shape`, or nil when an extent is negative or the shape is over the
/// limit: every extent, and the product of the non-zero extents, at most ``maximumElementCount``
/// (each partial product checked, so no overflow goes unnoticed). The rule does not depend on the
/// order of the axes, so a shape and its reverse (a transpose) are accepted or refused together.
package func elementCount(_ shape: [Int]) -> Int? {
    if shape.isEmpty { return 1 }
    var n = 1, empty = false
    for extent in shape {
        guard extent >= 0, extent <= maximumElementCount else { return nil }
        if extent == 0 { empty = true; continue }
        let (product, overflow) = n.multipliedReportingOverflow(by: extent)
        guard !overflow, product <= maximumElementCount else { return nil }
        n = product
    }
    return empty ? 0 : n
}

/// The number of elements of a shape entering through `operation`; stops with a message naming the
/// operation and the shape when an extent is negative or the count is over the limit.
package func checkedElementCount(_ shape: [Int], _ operation: String) -> Int {
    if let n = elementCount(shape) { return n }
    if let bad = shape.first(where: { $0 < 0 }) {
        shapeFailure(operation, "shape \(shape) has a negative extent (\(bad))")
    }
    shapeFailure(operation, "shape \(shape) has more than 2^48 elements, the most a tensor may have")
}
