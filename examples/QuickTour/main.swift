import Fluxion
let x = Tensor([1.0, 2.0, 3.0, .nan])
print(x .> 1.5)
print(x .== x)
let m = (x .> 1) .& (x .< 3)
print(m)
print(.!m)
print(isnan(x))
