// The float64 path: training seeds, approximate max margin and certificates, GA steps, the case subject.
export { mulberry32, gaussian } from './prng.ts';
export { type Loss, lossValue, lossDeriv, gradientWeights } from './loss.ts';
export { dot, gram, roundingTol } from './linalg.ts';
export {
  type GaStep,
  type TrainLinearOptions,
  type MaxMarginFloat,
  trainLinear,
  maxMarginFloat,
  marginsLinear,
  gaStepLinear,
  effectiveSteps,
} from './linearFloat.ts';
export {
  type TrainRelu2Options,
  type GaRelu2Options,
  trainRelu2,
  initRelu2,
  gaStepRelu2,
  patternOf,
  patternByRounding,
  preActivations,
  outputsRelu2,
  marginsRelu2,
} from './relu2Float.ts';
export { type CertificateInput, type FloatCertificate, certificateFloat } from './certificateFloat.ts';
export { type FloatCase, type FloatResult, parseCaseFloat, gaFromFloatCase, gaFromCase } from './gaFloat.ts';
export { parseRationalFloat, bigRatioToDouble } from './parse.ts';
