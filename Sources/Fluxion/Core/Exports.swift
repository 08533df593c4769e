// The kernel layer's public types (DType, TensorType, TensorElement, RealElement) are part of the
// engine's API; its loops and storage are `package`, used by the engine and invisible to users.
@_exported import FluxionKernels
