import Testing
import Fluxion

/// Shape and dtype mismatches are programming errors: they stop the process with a message that
/// names the operation and the shapes. Each case runs in a child process (an exit test) whose
/// standard error is checked.
@Suite("Error messages")
struct ErrorMessageTests {
    static func stderr(of result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func broadcastMismatchNamesOperationAndShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        #expect(Self.stderr(of: r).contains("add: shapes [2, 3] and [4] do not broadcast"))
    }

    @Test func matmulMismatch() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }
        #expect(Self.stderr(of: r).contains("matmul: shapes [2, 3] and [4, 5] do not align: 3 != 4"))
    }

    @Test func reshapeMismatch() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshaped(to: [4, 2])
        }
        #expect(Self.stderr(of: r).contains("reshape: cannot reshape [2, 3] (6 elements) to [4, 2]"))
    }

    @Test func indexOutOfRange() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3])[0, 5]
        }
        #expect(Self.stderr(of: r).contains("index: index 5 is out of range for axis 1 of extent 3 in shape [2, 3]"))
    }

    @Test func gatherIndexOutOfRange() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3]).gathering(Tensor([Int64(3)]), alongAxis: 0)
        }
        #expect(Self.stderr(of: r).contains("gather: index 3 is out of range for an axis of extent 3"))
    }

    @Test func linalgNeedsSquareFloatMatrices() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = try? Linalg.cholesky(Tensor.zeros([2, 3]))
        }
        #expect(Self.stderr(of: r).contains("cholesky: expects square matrices in the last two axes, got shape [2, 3]"))
    }

    @Test func concatenateMismatch() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.concatenate([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])], axis: 0)
        }
        #expect(Self.stderr(of: r).contains("concatenate: shapes [2, 3] and [2, 4] differ off axis 0"))
    }

    @Test func complexHasNoOrder() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let z = complex(Tensor([1.0]), Tensor([1.0]))
            _ = z.max()
        }
        #expect(Self.stderr(of: r).contains("reduce_max: does not accept dtype complex128"))
    }

    @Test func axisOutOfRange() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).sum(alongAxes: [2])
        }
        #expect(Self.stderr(of: r).contains("sum: axis 2 is out of range for rank 2"))
    }

    @Test func gradOfNonScalarPointsToJacrev() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = grad { (x: Tensor) in x * 2 }(Tensor([1.0, 2.0]))
        }
        #expect(Self.stderr(of: r).contains("grad: the function returns a tensor of shape [2], but grad needs a scalar (shape []). Use jacrev for the Jacobian, or vjp for a vector-Jacobian product"))
    }

    @Test func gradWithRespectToIntegers() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = grad { (x: Tensor) in x.sum().cast(to: .float64) }(Tensor([Int64(1), 2]))
        }
        #expect(Self.stderr(of: r).contains("grad: cannot differentiate with respect to an int64 tensor (leaf 0, shape [2])"))
    }

    @Test func customVJPHasNoForwardMode() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let f = customVJP(forward: { x in (x * 2, []) }, backward: { _, ct in ct * 2 })
            _ = jvp(f, at: Tensor(1.0), tangent: Tensor(1.0))
        }
        #expect(Self.stderr(of: r).contains("custom_vjp_call: forward-mode differentiation (jvp, jacfwd, hessian) is not defined for a customVJP function"))
    }

    @Test func readingAValueInsideVmapNamesTheTransform() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = vmap({ (x: Tensor) in x.sum().item > 0 ? x : -x })(Tensor.ones([3, 2]))
        }
        let message = Self.stderr(of: r)
        #expect(message.contains("scalars(as:): cannot read the value of a tensor traced by vmap (float64[]): its value differs from one mapped slice to the next"))
        #expect(message.contains("Use `where` to choose between values elementwise, or read the value outside the transform"))
    }

    @Test func vmapAxesMustAgree() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = vmap({ (a: Tensor, b: Tensor) in a + b })(Tensor.ones([3]), Tensor.ones([4]))
        }
        #expect(Self.stderr(of: r).contains("vmap: the mapped axes have different extents: 3 and 4"))
    }

    @Test func swiftIfOnATracedValueInsideJit() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let f = jit { (x: Tensor) in x.sum().item > 0 ? x : -x }
            _ = f(Tensor([1.0]))
        }
        let message = Self.stderr(of: r)
        #expect(message.contains("cannot read the value of a tensor traced by jit (float64[]): its value is not known while jit traces the function"))
        #expect(message.contains("(to jit, as a static argument)"))
    }

    @Test func reverseModeThroughAStagedWhileLoopNeedsMaxTrips() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let f = jit(grad { (x: Tensor) in whileLoop([x], condition: { $0[0] .< 10 }, body: { [$0[0] * 2] })[0] })
            _ = f(Tensor(1.0))
        }
        #expect(Self.stderr(of: r).contains("while: reverse-mode differentiation of a whileLoop whose values are not known while tracing needs an upper bound: give whileLoop(maxTrips:)"))
    }

    @Test func whileLoopBeyondMaxTrips() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = whileLoop([Tensor(1.0)], maxTrips: 3, condition: { $0[0] .< 100 }, body: { [$0[0] * 2] })
        }
        #expect(Self.stderr(of: r).contains("whileLoop: the loop is still running after maxTrips = 3 iterations"))
    }


    @Test func negativeExtent() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([-1])
        }
        #expect(Self.stderr(of: r).contains("zeros: shape [-1] has a negative extent (-1)"))
    }

    @Test func negativeExtentsWhoseProductIsPositive() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([-2, -3]).sum()
        }
        #expect(Self.stderr(of: r).contains("zeros: shape [-2, -3] has a negative extent (-2)"))
    }

    @Test func elementCountOverflow() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([1 << 32, 1 << 32]).sum()
        }
        #expect(Self.stderr(of: r).contains("zeros: shape [4294967296, 4294967296] has more than 2^48 elements"))
    }

    @Test func tooManyElements() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([1 << 61])
        }
        #expect(Self.stderr(of: r).contains("full: shape [2305843009213693952] has more than 2^48 elements"))
    }

    @Test func negativeEye() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.eye(-1)
        }
        #expect(Self.stderr(of: r).contains("eye: shape [-1, -1] has a negative extent (-1)"))
    }

    @Test func negativeLinspace() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.linspace(0, 1, count: -1)
        }
        #expect(Self.stderr(of: r).contains("linspace: shape [-1] has a negative extent (-1)"))
    }

    @Test func zeroStepArange() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.arange(0, 1, step: 0)
        }
        #expect(Self.stderr(of: r).contains("arange: start, end and step must be finite and step non-zero"))
    }

    @Test func itemOfSeveralElements() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1.0, 2, 3]).item
        }
        #expect(Self.stderr(of: r).contains("scalar(as:): the tensor has shape [3], not one element"))
    }

    @Test func valuesThatDoNotFillTheShape() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1.0, 2.0], shape: [3])
        }
        #expect(Self.stderr(of: r).contains("Tensor(_:shape:): 2 values do not fill shape [3]"))
    }

    @Test func einsumOutputNotInOperands() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = einsum("ij->k", Tensor.zeros([2, 2]))
        }
        #expect(Self.stderr(of: r).contains("einsum: the output subscript in \"ij->k\" must name distinct letters of the operands"))
    }

    @Test func diagonalOfAVector() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1.0, 2]).diagonal()
        }
        #expect(Self.stderr(of: r).contains("diagonal: needs a matrix (at least 2 axes), got shape [2]"))
    }

    @Test func negativeReshape() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([6]).reshaped(to: [-2, -3])
        }
        #expect(Self.stderr(of: r).contains("reshape: the new shape [-2, -3] may hold non-negative extents and at most one -1"))
    }
}
