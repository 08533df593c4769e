/// Algebraic simplifications as a table of rewrite rules. A rule looks at one equation and, when
/// its pattern matches, names the operand that can stand for the equation's output. A rule only
/// fires when the replacement has exactly the output's type, so broadcasting and promotion never
/// change under a rewrite.
enum RewriteRules {
    typealias Rule = (name: String, rewrite: @Sendable (Program.Equation) -> Program.Operand?)

    /// Whether an operand is a constant whose elements all equal `value`.
    static func isConstant(_ o: Program.Operand, _ value: Double) -> Bool {
        guard case .constant(let t) = o, t.isConcrete, t.dtype != .bool, t.count <= 64 else { return false }
        return t.cast(to: t.dtype.isComplex ? .complex128 : .float64).scalars(as: Double.self).allSatisfy { $0 == value }
            && imag(t).doubles.allSatisfy { $0 == 0 }
    }

    static let table: [Rule] = [
        ("x + 0 -> x", { e in e.primitive is Add && isConstant(e.inputs[1], 0) ? e.inputs[0] : nil }),
        ("0 + x -> x", { e in e.primitive is Add && isConstant(e.inputs[0], 0) ? e.inputs[1] : nil }),
        ("x - 0 -> x", { e in e.primitive is Subtract && isConstant(e.inputs[1], 0) ? e.inputs[0] : nil }),
        ("x * 1 -> x", { e in e.primitive is Multiply && isConstant(e.inputs[1], 1) ? e.inputs[0] : nil }),
        ("1 * x -> x", { e in e.primitive is Multiply && isConstant(e.inputs[0], 1) ? e.inputs[1] : nil }),
        ("x / 1 -> x", { e in e.primitive is Divide && isConstant(e.inputs[1], 1) ? e.inputs[0] : nil }),
        ("reshape to the same shape -> x", { e in e.primitive is Reshape ? e.inputs[0] : nil }),
        ("broadcast to the same shape -> x", { e in e.primitive is BroadcastTo ? e.inputs[0] : nil }),
        ("identity transpose -> x", { e in
            (e.primitive as? Transpose).map { $0.permutation == Array(0..<$0.permutation.count) } == true ? e.inputs[0] : nil
        }),
        ("convert to the same dtype -> x", { e in e.primitive is ConvertElementType ? e.inputs[0] : nil }),
        ("stop_gradient -> x", { e in e.primitive is StopGradient ? e.inputs[0] : nil }),
    ]

    /// The replacement of the first rule that matches with a type-preserving operand.
    static func apply(_ e: Program.Equation, types: [TensorType]) -> Program.Operand? {
        let outType = types[e.outputs[0]]
        for rule in table {
            guard let r = rule.rewrite(e) else { continue }
            let type: TensorType
            switch r {
            case .variable(let v): type = types[v]
            case .constant(let t): type = t.type
            }
            if type == outType { return r }
        }
        return nil
    }
}
