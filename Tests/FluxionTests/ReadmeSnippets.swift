// Generated from README.md by ReadmeSnippetTests; do not edit.
// swiftlint:disable all
import Foundation
import Fluxion
import FluxionNN
import FluxionPINN
import FluxionMD

/// The README's snippets, in order.
func runReadmeSnippets() throws {
    do { // Tensors
        let a = Tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape: [2, 3])   // float64
        let i = Tensor([Int32(1), 2, 3])                                  // int32
        let z = Tensor.zeros([3, 3]), e = Tensor.eye(3), r = Tensor.linspace(0, 1, count: 5)

        let b = 2 * a + 1                   // Swift scalars are weakly typed: b stays float64
        let c = a + Tensor([10.0, 20.0, 30.0])   // broadcasting: [2, 3] with [3]
        let f = a.cast(to: .float32) * i    // promotion as NumPy: int32 with float32 gives float64
        print(c)                            // Tensor([[11., 22., 33.],
                                            //         [14., 25., 36.]])
        c.scalars(as: Double.self)          // [11.0, 22.0, 33.0, 14.0, 25.0, 36.0]
        c[1, 2].item                        // 36.0
        do { // Indexing
            let x = Tensor.arange(0, 24).reshaped(to: [2, 3, 4])
            x[0]                          // shape [3, 4]
            x[-1, 1..<3, .stride(by: -1)] // last block, rows 1 and 2, columns reversed
            x[.newAxis, .ellipsis, 0]     // shape [1, 2, 3]
            x[Tensor([Int64(1), 0])]      // gather along the first axis
            Tensor.zeros([4]).scatterAdding(Tensor([1.0, 2.0]), at: Tensor([Int64(1), 1]), alongAxis: 0)  // [0, 3, 0, 0]
            do { // Math, reductions, shapes, products
                let y = tanh(x) * exp(-x * x) + softplus(x)      // elementwise, stable at the edges
                x.sum(alongAxes: [0, 2]); x.mean(); x.max(alongAxes: [-1], keepingDims: true)
                x.logSumExp(alongAxes: [1]); x.variance(ddof: 1); x.argmax(axis: 2); x.cumsum(axis: 0)
                Tensor.concatenate([a, a], axis: 1); Tensor.stack([a, a]); a.padded([(1, 1), (0, 2)])
                matmul(x, x.mT)                                  // batched gemm, batch axes broadcast
                einsum("bij,bjk->bik", x, x.mT)
                do { // Linear algebra
                    let spd = Tensor([[4.0, 2.0], [2.0, 3.0]])
                    let l = try Linalg.cholesky(spd)                 // throws LinalgError.notPositiveDefinite
                    let s = try Linalg.solve(spd, Tensor([1.0, 2.0]))   // throws LinalgError.singular
                    let (values, vectors) = Linalg.eigh(spd)
                    let (u, sv, vt) = Linalg.svd(a)
                    let (q, rr) = Linalg.qr(a)
                    Linalg.det(spd); Linalg.slogdet(spd); try Linalg.inv(spd); Linalg.lstsq(a.mT, Tensor([1.0, 2.0, 3.0]))
                    Linalg.norm(a, .nuclear, alongAxes: [0, 1])
                    do { // Fourier transforms
                        let X = FFT.fft(c)                 // NumPy's conventions, norm: .backward / .ortho / .forward
                        let back = FFT.ifft(X)
                        let half = FFT.rfft(r)             // and fft2, fftn, rfft2, rfftn, irfft*, fftfreq, fftshift
                        let cosine = FFT.dct(r, type: 2, norm: .ortho)   // DCT and DST types 1-4, SciPy's conventions
                        do { // Random numbers
                            let key = PRNGKey(seed: 0)
                            let (k1, k2) = key.split()
                            let noise = Random.normal(k1, shape: [3, 2])
                            let u01 = Random.uniform(k2, shape: [5])
                            let p = Random.permutation(key.foldIn(7), 10)
                            do { // NumPy files
                                let file = FileManager.default.temporaryDirectory.appendingPathComponent("a.npy")
                                try NPY.write(Tensor([1.0, 2.0, 3.0]), to: file)
                                let loaded = try NPY.read(from: file)               // NPZ.read(from:) reads savez and savez_compressed
                                let archiveFile = FileManager.default.temporaryDirectory.appendingPathComponent("ab.npz")
                                try NPZ.write(["a": loaded, "b": loaded * 2], to: archiveFile, compressed: true)
                                let archive = try NPZArchive(contentsOf: archiveFile)   // reads the directory only
                                let b = try archive.tensor(named: "b")                  // inflates b alone
                                do { // Derivatives
                                    let x = Tensor([0.5, 1.5]), v = Tensor([1.0, -1.0]), a = Tensor([1.0, 2.0]), b = Tensor([3.0, 4.0])
                                    let f = { (x: Tensor) in sin(x) * x }
                                    let df   = grad { (x: Tensor) in (x * x * x).sum() }     // 3x²
                                    let d4f  = grad(grad(grad(grad { (x: Tensor) in sin(x) })))  // any depth: sin again
                                    let (y, g)         = valueAndGrad { (x: Tensor) in (x * x).sum() }(x)
                                    let (y2, pullback) = vjp({ x in sin(x) }, at: x)          // pullback(cotangent) -> cotangent of x
                                    let (y3, ydot)     = jvp({ x in sin(x) }, at: x, tangent: v)
                                    let J = jacfwd(f)(x); let J2 = jacrev(f)(x); let H = hessian { f($0).sum() }(x)
                                    let dA = grad { (a: Tensor, b: Tensor) in (a * b).sum() }(a, b)                  // ∂/∂a; b held constant
                                    let (da, db) = grad({ (a: Tensor, b: Tensor) in (a * b).sum() }, wrt: .all)(a, b)  // (∂/∂a, ∂/∂b)
                                    let constant = stopGradient(x)                                                   // a constant to every derivative
                                    do { // Taylor mode
                                        // Every derivative up to order 8 of a function applied elementwise, in one pass.
                                        let ds = derivatives({ x in tanh(x) * sin(x) }, at: Tensor([0.1, 0.5]), order: 8)   // ds[k]: k-th derivative
                                        // jet: a Taylor series through any function (terms are derivatives, as in JAX's jet).
                                        let (ey, eseries) = jet({ x in exp(sin(x)) }, at: Tensor(0.3), series: [Tensor(1.0), Tensor(0.0), Tensor(0.0)])
                                        // dᵏ/dtᵏ f(x + t v), along one direction or several at once (the terms of a PINN residual).
                                        let dv = directionalDerivatives({ p in (p * p * p).sum() }, at: Tensor([1.0, 2.0]), along: Tensor([1.0, 0.0]), order: 3)
                                        let u = { (p: Tensor) in sin(p[0]) * exp(-p[1]) }                                  // u(x, t)
                                        let terms = directionalDerivatives(u, at: Tensor([0.3, 0.1]), alongEach: Tensor.eye(2), order: 2)
                                        let (ux, ut, uxx) = (terms[1][0], terms[1][1], terms[2][0])
                                        // Operators.
                                        let fl = forwardLaplacian({ x in (x * x * x).sum() }, at: Tensor([1.0, 2.0, 3.0]))  // value, gradient, laplacian (36)
                                        let lap = laplacian({ x in sin(x).sum() })(Tensor([0.1, 0.2]))
                                        let hd = hessianDiagonal({ x in (x * x * x).sum() })(Tensor([1.0, 2.0]))           // [6, 12]
                                        let div = divergence({ v in v * v })(Tensor([1.0, 2.0, 3.0]))                       // 12
                                        let uxxyy = partialDerivative({ p in p[0] * p[0] * p[1] * p[1] }, orders: [2, 2])(Tensor([0.5, 0.7]))  // 4
                                        let bih = biharmonic({ p in (p * p).sum() * (p * p).sum() })(Tensor([0.3, -0.2]))  // Δ²|p|⁴ = 64 in 2-D
                                        let est = laplacianEstimate({ x in (x * x).sum() }, at: Tensor.ones([1000]), key: PRNGKey(seed: 0), samples: 16)
                                        // They compose: the gradient of a loss built on the Laplacian, batched over points, compiled.
                                        let points = Tensor([[0.1, 0.2], [0.3, 0.4]])
                                        let pinnLoss = { (w: Tensor) in
                                            let l = vmap({ x in laplacian({ p in tanh(dot(w, p)) })(x) })(points)
                                            return (l * l).mean()
                                        }
                                        let pinnGrad = jit(grad(pinnLoss))(Tensor([0.5, -0.3]))
                                        do { // Trees
                                            struct Layer: TensorTree { var w: Tensor; var b: Tensor }
                                            struct Model: TensorTree { var layers: [String: Layer]; var step: Tensor; var name: String }

                                            let model = Model(layers: ["in": Layer(w: Tensor.ones([2, 3]), b: Tensor.zeros([3])),
                                                                       "out": Layer(w: Tensor.ones([3, 1]), b: Tensor.zeros([1]))],
                                                              step: Tensor(Int64(0)), name: "mlp")
                                            let (leaves, structure) = model.flattened()        // 4 tensors, keys sorted at every depth
                                            let same = Model.unflatten(structure, leaves: leaves)
                                            let gradient = Model.zeros(like: model)
                                            let updated = model.zipLeaves(gradient) { p, g in p - 0.1 * g }   // checks the structures match
                                            let (flat, unravel) = model.raveled()                             // one vector, and back
                                            do { // Batching with vmap
                                                let matrix = Tensor([[3.0, 4.0], [6.0, 8.0]]), weights = Tensor([0.5, -0.5])
                                                let examples = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
                                                let loss = { (w: Tensor, x: Tensor) in tanh((w * x).sum()) }
                                                let norms = vmap({ (row: Tensor) in row.norm() })(matrix)                 // one norm per row
                                                let perExample = vmap({ (x: Tensor, w: Tensor) in grad { w in loss(w, x) }(w) },
                                                                      inAxes: (0, nil))(examples, weights)               // per-example gradients
                                                let columns = vmap({ v in jvp({ x in sin(x) * x }, at: weights, tangent: v).tangent })(Tensor.eye(2))
                                                do { // Compiling with jit
                                                    struct Params: TensorTree { var w: Tensor; var b: Tensor }
                                                    let data = Tensor([[0.5, -1.0], [1.5, 0.25]]), target = Tensor([[1.0], [0.0]])
                                                    func loss(_ p: Params) -> Tensor { pow(tanh(matmul(data, p.w) + p.b) - target, 2).mean() }
                                                    var params = Params(w: Tensor([[0.1], [-0.2]]), b: Tensor([0.0]))

                                                    let step = jit { (p: Params) in valueAndGrad(loss)(p) }   // trees in, a tuple of trees out
                                                    for _ in 0..<100 {
                                                        let (l, g) = step(params)                              // first call: trace, optimize, plan
                                                        params = params.zipLeaves(g) { p, g in p - 0.5 * g }   // later calls: the cached plan
                                                    }
                                                    step.traceCount                // 1
                                                    step.lastMissExplanation       // "first call: traced for float64[1], float64[2, 1]"
                                                    print(step.program(for: params))   // the optimized program, printed like a jaxpr

                                                    let power = jit { (x: Tensor, n: Int) in pow(x, Double(n)) }   // n is static: part of the cache key
                                                    let slope = grad(jit { (x: Tensor) in (sin(x) * x).sum() })    // jit is a function value
                                                    let solve = jit { (a: Tensor, b: Tensor) throws in try Linalg.solve(a, b) }   // a throwing body
                                                    let solution = try solve(Tensor([[2.0, 1.0], [1.0, 3.0]]), Tensor([3.0, 5.0]))
                                                    do { // Control flow
                                                        let x = Tensor([0.5, -0.25]), x0 = Tensor([1.0, 0.0]), forces = Tensor.ones([64, 2])
                                                        let w = Tensor([[0.9, -0.2], [0.3, 0.8]])
                                                        let y = cond(x.sum() .> 0, x, then: { sin($0) }, else: { exp($0) })
                                                        let root = whileLoop(Tensor(1.0), maxTrips: 50, condition: { abs($0 * $0 - 2) .> 1e-12 },
                                                                             body: { 0.5 * ($0 + 2 / $0) })
                                                        let x5 = forLoop(5, Tensor(1.0)) { i, s in s * 2 }
                                                        let (final, trajectory) = scan(x0, over: forces, checkpoint: .segments(32)) { c, f in
                                                            let next = c + 0.01 * f
                                                            return (next, next)
                                                        }
                                                        let block = checkpoint { (x: Tensor) in tanh(matmul(w, tanh(matmul(w, x)))) }   // recomputed in reverse mode
                                                        do { // Neural networks (FluxionNN)
                                                            // import FluxionNN (the library product FluxionNN)
                                                            let key = PRNGKey(seed: 0)
                                                            var model = MLP(widths: [2, 32, 32, 1], activation: .tanh, key: key)      // a tree, called like a function
                                                            let points = Random.uniform(key.foldIn(1), shape: [256, 2], low: -1, high: 1)
                                                            let targets = sin(3 * points[.all, 0..<1]) * points[.all, 1..<2]
                                                            func fitLoss(_ m: MLP) -> Tensor { let r = m(points) - targets; return (r * r).mean() }

                                                            let optimizer = Optimizer.adam(learningRate: .warmupCosineDecay(initial: 0, peak: 1e-2, warmupSteps: 50, decaySteps: 500))
                                                                .clippingByGlobalNorm(1)
                                                            let trainStep = jit { (m: MLP, s: OptimizerState) in                     // gradient and update, one program
                                                                let (loss, g) = valueAndGrad(fitLoss)(m)
                                                                let (next, nextState) = optimizer.step(m, gradient: g, state: s)
                                                                return (next, nextState, loss)
                                                            }
                                                            var optimizerState = optimizer.initialize(model)
                                                            for _ in 0..<500 { (model, optimizerState, _) = trainStep(model, optimizerState) }
                                                            let refined = LBFGS(gradientTolerance: 1e-9).minimize(fitLoss, from: model)     // then L-BFGS, in float64
                                                            print(refined.value, refined.iterations, refined.stopReason)

                                                            let checkpointFile = FileManager.default.temporaryDirectory.appendingPathComponent("fit.npz")
                                                            let trainer = Trainer(optimizer: optimizer) { (m: MLP, _: PRNGKey) in fitLoss(m) }
                                                            trainer.checkpoint = checkpointFile                                       // atomic NPZ: parameters, state, key, step
                                                            let (trained, _) = try trainer.train(trainer.start(model, key: key), until: 100) { report in
                                                                ProgressBar().draw(report)                                            // [#####·····] 50/100 812 it/s 0:00:01 left
                                                                return true
                                                            }
                                                            let resumed = try trainer.resume(like: model, from: checkpointFile)       // bit-for-bit continuation
                                                            try TreeFile.save(trained.parameters, to: checkpointFile)                 // np.load(f)["layers/0/weight"]
                                                            do { // Physics-informed networks (FluxionPINN)
                                                                // import FluxionPINN (the library product FluxionPINN)
                                                                let nu = 0.01 / Double.pi
                                                                let burgers = Problem(name: "burgers", domain: try SpaceTime(Interval(-1, 1), time: 0...1),
                                                                                      residual: { u in u.t + u.value * u.x - nu * u.xx },       // derivatives by Taylor mode
                                                                                      conditions: [.dirichlet("walls") { _ in 0 }, .initial { p in -sin(Double.pi * p[0]) }],
                                                                                      reference: { BurgersExact(viscosity: nu)($0) },          // Cole–Hopf, to 1e-9
                                                                                      evaluationGrid: [64, 25])
                                                                var schedule = PINNOptions()                  // Adam with exponential decay, then L-BFGS; Sobol points
                                                                schedule.collocation = 256
                                                                schedule.adamSteps = 20                       // a demonstration budget; see the table below for real ones
                                                                schedule.lbfgsIterations = 10
                                                                let solver = try PINNSolver<FieldNetwork>(burgers, options: schedule)
                                                                var run = try solver.start(FieldNetwork(inputs: 2, hidden: [20, 20, 20], key: key), key: key)
                                                                (run, _) = try solver.train(run) { report in ProgressBar().draw(report.training); return true }
                                                                print(solver.relativeError(run)!)             // relative L2 error against the reference
                                                                let u = solver.solution(run, at: Tensor([[0.5, 0.25]]))

                                                                let exactly = try burgers.withHardConstraints()     // shipped problems: u(x,0) and the walls hold exactly
                                                                let lShape = try Polygon(vertices: [[-1, -1], [1, -1], [1, 0], [0, 0], [0, 1], [-1, 1]])
                                                                let holed = try Rectangle(x: -1...1, y: -1...1).subtracting(try Disk(center: [0, 0], radius: 0.3))
                                                                let inside = try holed.interiorPoints(1000, sampler: .sobol, key: key)          // [[Double]]
                                                                let onEdge = lShape.boundaryPoints(200, key: key)                                  // spread by length
                                                                let normals = onEdge.map(lShape.normal(at:))                                       // outward
                                                                do { // Molecular dynamics (FluxionMD)
                                                                    // import FluxionMD (the library product FluxionMD)
                                                                    let (crystal, cell) = try Lattice.fcc.positions(cells: [3, 3, 3], density: 0.8442)    // 108 atoms, periodic
                                                                    let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5))             // LAMMPS's lj/cut
                                                                    let field = ForceField.pairs(lj, skin: 0.3)     // a fused loop over a neighbor list that never drops a pair
                                                                    let masses = Tensor.ones([108])
                                                                    let v0 = initialVelocities(masses: masses, temperature: 0.72, key: key, dimension: 3)
                                                                    let nve = try VelocityVerlet(timeStep: 0.005)
                                                                    var md = try nve.initialize(positions: crystal, velocities: v0, masses: masses, box: cell, key: key,
                                                                                                forces: field.forces)
                                                                    for _ in 0..<50 { md = try nve.step(md, forces: field.forces) }
                                                                    print(md.totalEnergy.item, temperature(md), pressure(md), stress(md))

                                                                    // Every potential is also a differentiable energy: forces are −∂E/∂x, the virial −∂E/∂ε for a
                                                                    // deformation ε of the cell (so the stress works for any energy), and parameters have gradients.
                                                                    let energy = lj.energy(neighbors: field.neighborList!)                  // (positions, cell) -> Tensor
                                                                    let forces = -grad { (x: Tensor) in energy(x, cell.matrix) }(md.positions)
                                                                    let w = virial(energy, positions: md.positions, box: cell)

                                                                    // Integrators and minimizers take any forces: thermostats, Brownian dynamics, FIRE.
                                                                    let nvt = try NoseHooverChain(timeStep: 0.005, temperature: 1.0, timeScale: 0.5)
                                                                    let hot = try nvt.step(md, forces: field.forces)
                                                                    let relaxed = try minimize(md, with: try FIRE(), forces: field.forces, forceTolerance: 1e-6).0

                                                                    // Gradients through a whole trajectory (scan with checkpointing), w.r.t. a potential's parameter.
                                                                    let list = try NeighborList(positions: crystal, box: cell, cutoff: 2.5, skin: 1.0)
                                                                    let dE = grad { (eps: Tensor) -> Tensor in
                                                                        let potential = try! LennardJones(sigma: Tensor(1.0), epsilon: eps, cutoff: .distance(2.5), truncation: .shifted)
                                                                        let run = differentiableTrajectory(energy: potential.energy(neighbors: list), positions: crystal,
                                                                                                           velocities: v0, masses: masses, box: cell, timeStep: 0.005, steps: 10)
                                                                        return run.potentialEnergies[9]
                                                                    }(Tensor(1.0))

                                                                    // Extended XYZ as ASE reads and writes it.
                                                                    let frame = XYZFrame(species: Array(repeating: "Ar", count: 108), positions: md.positions.doubles,
                                                                                         lattice: cell.vectors, columns: [XYZColumn(name: "forces", reals: md.forces.doubles, width: 3)],
                                                                                         info: [("energy", .double(md.potentialEnergy.item))])
                                                                    let back = try ExtendedXYZ.read(ExtendedXYZ.write([frame]))[0]
                                                                }
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
