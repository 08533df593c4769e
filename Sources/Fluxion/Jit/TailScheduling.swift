extension Passes {
    /// Tail scheduling: the elementwise equations whose results reach the program's outputs only
    /// through other elementwise equations — an optimizer's update of every parameter after the
    /// gradient, the last steps of a loss — move to the end of the program, grouped by the runs
    /// fusion can make of them. A trace interleaves such work leaf by leaf and shape by shape (Adam
    /// on a bias, on a weight matrix, on the next bias, then the learning rate on each, then the
    /// sums), so that fusion, which joins consecutive equations, made a loop for every change of
    /// shape; grouped, the work on all the leaves of one element count is one loop.
    ///
    /// The other equations keep their order. A tail equation reads only those and earlier tail
    /// equations, so the tail can follow all of them; within the tail, runs are formed in program
    /// order (single elements first): the first equation not yet placed starts a run, and every later
    /// one that joins its class and whose operands are already computed follows it.
    static func scheduleElementwiseTail(_ p: Program) -> Program {
        let classes = p.equations.map { ElementwiseClass($0, in: p) }
        var users: [Int: [Int]] = [:]
        for (i, e) in p.equations.enumerated() { for v in e.inputs.compactMap(\.variable) { users[v, default: []].append(i) } }
        // Tail equations, from the end: fusible, and every user a tail equation (or none: an output).
        var tail = [Bool](repeating: false, count: p.equations.count)
        for i in p.equations.indices.reversed() where classes[i] != nil {
            tail[i] = p.equations[i].outputs.allSatisfy { v in (users[v] ?? []).allSatisfy { tail[$0] } }
        }
        // Single elements first, as one run: an operand of every other run (a bias correction, a
        // learning rate, a loss's scale), and computed from single elements only, all ready now.
        let single = p.equations.indices.filter { tail[$0] && classes[$0]!.count == 1 }
        var pending = single + p.equations.indices.filter { tail[$0] && classes[$0]!.count != 1 }
        guard pending.count > 1 else { return p }
        var out = p
        out.equations = p.equations.indices.filter { !tail[$0] }.map { p.equations[$0] }
        let producer = Dictionary(uniqueKeysWithValues: pending.flatMap { i in p.equations[i].outputs.map { ($0, i) } })
        var placed: Set<Int> = []
        func ready(_ i: Int) -> Bool {
            p.equations[i].inputs.allSatisfy { o in o.variable.flatMap { producer[$0] }.map(placed.contains) ?? true }
        }
        while let first = pending.first {
            // The first pending equation is ready: its producers come earlier in the program (or are
            // single elements, placed first).
            var shape = classes[first]!.shape, broadcasting = classes[first]!.broadcasts
            var left: [Int] = []
            for i in pending {
                let c = classes[i]!
                guard i == first || (c.joins(shape: shape, broadcasting: broadcasting) && ready(i)) else {
                    left.append(i)
                    continue
                }
                if c.broadcasts { shape = c.shape }
                broadcasting = broadcasting || c.broadcasts
                placed.insert(i)
                out.equations.append(p.equations[i])
            }
            pending = left
        }
        return out
    }
}
