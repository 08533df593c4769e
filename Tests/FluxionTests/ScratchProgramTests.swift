import Testing
@testable import Fluxion

@Suite struct ScratchProgram {
    @Test func show() {
        let w1 = Tensor.ones([2, 20]) * 0.1, b1 = Tensor.zeros([20]), w2 = Tensor.ones([20, 20]) * 0.01, w3 = Tensor.ones([20, 1]) * 0.2
        let u = { (x: Tensor) in (matmul(tanh(matmul(tanh(matmul(x, w1) + b1), w2) + b1), w3)).sum() }
        let f = jit { (x: Tensor) in vmap({ (z: Tensor) -> Tensor in
            let dx = directionalDerivatives(u, at: z, along: Tensor([1.0, 0]), order: 4)
            return dx[0] * dx[1] + dx[2] + dx[4] })(x) }
        let p = f.program(for: Tensor.ones([16, 2]))
        print(p)
        print("equations:", p.equations.count)
    }
}
