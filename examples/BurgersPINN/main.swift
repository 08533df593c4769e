// Burgers' equation by a physics-informed network, in a few lines, with its error against the exact
// (Cole–Hopf) solution. The initial and wall conditions hold exactly (a hard constraint), so the
// loss is the residual alone.
//
//   swift run -c release burgers-pinn [adam steps] [L-BFGS iterations]   (default 2000 and 3000)
import Fluxion
import FluxionNN
import FluxionPINN
import Foundation

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
var options = PINNOptions()
options.adamSteps = arguments.first ?? 2000
options.lbfgsIterations = arguments.dropFirst().first ?? 3000
options.collocation = 1000
options.reportEvery = 100
let key = PRNGKey(seed: 0)
var problem = try Problems.burgers().withHardConstraints()
problem.evaluationGrid = [128, 50]
let solver = try PINNSolver<FieldNetwork>(problem, options: options)
var state = try solver.start(FieldNetwork(inputs: 2, hidden: [20, 20, 20, 20], key: key), key: key)
(state, _) = try solver.train(state) { report in ProgressBar().draw(report.training); return true }
let error = solver.relativeError(state)!
print(String(format: "Burgers: relative L2 error %.3e after %d Adam steps and %d L-BFGS iterations", error,
             state.step, state.lbfgsIterations))
// The check scripts/run-examples.sh relies on: the default budget (or more) reaches 5e-2 (3.1e-2
// measured on an AVX-512 EPYC, in about 30 s; examples/pinn/burgers.toml is the accuracy run).
if options.adamSteps >= 2000 && options.lbfgsIterations >= 3000 && error > 5e-2 {
    FileHandle.standardError.write(Data("burgers-pinn: error \(error) above 5e-2\n".utf8))
    exit(1)
}
