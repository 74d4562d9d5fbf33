// The deployment file (sfb-deployment.json): its shape (shape.ts, the one source of the validator, the key order and
// the JSON Schema), reading and validating it (read.ts, syntax.ts, validate.ts, privateKeys.ts, migrate.ts), writing
// it (serialize.ts) and saving it atomically (atomicWrite.ts, file.ts). The core's public entry re-exports this.
export { FORMAT_SCHEMA, type StringFormat } from './formats';
export { DEPLOYMENT_SHAPE, SERVER_ROLES, type Shape, type ObjectShape, type EnumShape, type Field } from './shape';
export { deploymentJsonSchema, deploymentJsonSchemaText } from './schema';
export { MAX_PROBLEMS, DeploymentFileError, formatPath, formatProblem, type DeploymentFileProblem, type ParseResult } from './problems';
export { MAX_NESTING } from './syntax';
export { privateKeyDer } from './privateKeys';
export { checkDeployment } from './validate';
export { parseDeployment, parseDeploymentSteps } from './read';
export { serializeDeployment, serializeInPieces } from './serialize';
export { removeOrphanedTempFiles, type DeploymentFs, type DeploymentFsAsync, type FileStamp, type FileStat, type WritableFile } from './atomicWrite';
export { DEFAULT_DEPLOYMENT_FILE, loadDeployment, saveDeployment, saveDeploymentAsync, type AsyncSaveOptions, type AsyncSaveResult } from './file';
