/// A staged function: typed inputs, a list of equations in order, and outputs, like a jaxpr.
/// Every equation applies one primitive to variables or constants. Programs are values; the
/// optimization passes map programs to programs.
///
/// ```
/// { lambda a:float64[3] .
///     b:float64[3] = sin a
///     c:float64[3] = mul b a
///   in (c) }
/// ```
public struct Program: CustomStringConvertible, @unchecked Sendable {
    /// An equation's argument: a variable of the program, or a constant captured while staging.
    enum Operand {
        case variable(Int)
        case constant(Tensor)

        var variable: Int? {
            if case .variable(let v) = self { return v }
            return nil
        }

        /// The operand's type, given the types of the program's variables.
        func type(in types: [TensorType]) -> TensorType {
            switch self {
            case .variable(let v): types[v]
            case .constant(let t): t.type
            }
        }
    }

    struct Equation {
        let primitive: any Primitive
        var inputs: [Operand]
        let outputs: [Int]
    }

    /// The type of each variable, indexed by variable number.
    var types: [TensorType]
    var inputs: [Int]
    var equations: [Equation]
    var outputs: [Operand]

    /// The types of the program's outputs.
    var outputTypes: [TensorType] {
        outputs.map { $0.type(in: types) }
    }

    /// The number of equations.
    public var equationCount: Int { equations.count }

    /// The primitive names of the equations, in order (for tests and diagnostics).
    public var primitiveNames: [String] { equations.map(\.primitive.name) }

    public var description: String {
        func name(_ v: Int) -> String {
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            var n = v, s = ""
            repeat { s = String(letters[n % 26]) + s; n = n / 26 - 1 } while n >= 0
            return s
        }
        func operand(_ o: Operand) -> String {
            switch o {
            case .variable(let v): return name(v)
            case .constant(let t): return t.count == 1 && t.isConcrete ? "\(t.scalars(as: Double.self)[0])" : "const:\(t.type)"
            }
        }
        var lines = ["{ lambda " + inputs.map { "\(name($0)):\(types[$0])" }.joined(separator: " ") + " ."]
        for e in equations {
            let outs = e.outputs.map { "\(name($0)):\(types[$0])" }.joined(separator: " ")
            lines.append("    \(outs) = \(e.primitive.name) " + e.inputs.map(operand).joined(separator: " "))
            // A blocked map's body: the program each block runs.
            if let blocked = e.primitive as? BlockedMap {
                lines += blocked.body.program.description.split(separator: "\n").map { "        " + $0 }
            }
        }
        lines.append("  in (" + outputs.map(operand).joined(separator: ", ") + ") }")
        return lines.joined(separator: "\n")
    }
}
