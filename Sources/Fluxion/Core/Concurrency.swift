/// Runs `count` independent computations on the machine's cores and returns their results in order.
///
/// Each call of `body` runs on one thread, and its own operations (products, element loops) do not
/// split over threads: the cores are shared out by computation rather than by operation. This is
/// the faster way to use several cores for work made of independent pieces that are each too small
/// for an operation to split well, such as the blocks of a batch whose gradients are then summed
/// (`FluxionPINN` computes a training step that way): each block's arrays stay in its core's cache,
/// and no operation waits for another thread. Calls can run a jitted function concurrently.
///
/// The results do not depend on the number of cores or on timing, as long as `body` does not
/// (sum them in index order). Errors are thrown after every call has finished, the first by index.
/// Inside a transform (`grad`, `vmap`, `jit` while it traces), the calls run one after another on
/// the calling thread, which holds the transform's state.
///
/// ```swift
/// let x = Tensor.arange(0, 1000)
/// let sums = concurrentMap(4) { i in x[(i * 250)..<((i + 1) * 250)].sum() }
/// print(sums.reduce(Tensor(0.0), +))   // 499500.0
/// ```
public func concurrentMap<T, E: Error>(_ count: Int, _ body: (Int) throws(E) -> T) throws(E) -> [T] {
    if TraceStack.depth > 0 || TraceStack.staging { return try Parallel.serialMap(count, body) }
    return try Parallel.map(count, body)
}
