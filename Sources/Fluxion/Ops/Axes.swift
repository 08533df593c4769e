/// Normalizes a possibly negative axis (`-1` is the last) for an operation, or stops with a message.
func normalizeAxis(_ axis: Int, rank: Int, _ operation: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard 0 <= a && a < rank else { shapeFailure(operation, "axis \(axis) is out of range for rank \(rank)") }
    return a
}

/// Normalizes a set of axes (`nil` means all of them), sorted and without repeats.
func normalizeAxes(_ axes: [Int]?, rank: Int, _ operation: String) -> [Int] {
    guard let axes else { return Array(0..<rank) }
    let normalized = axes.map { normalizeAxis($0, rank: rank, operation) }
    guard Set(normalized).count == normalized.count else { shapeFailure(operation, "axes \(axes) repeat an axis") }
    return normalized.sorted()
}

/// The shape with the given axes kept as extent 1.
func keptShape(_ shape: [Int], reducing axes: [Int]) -> [Int] {
    shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
}
