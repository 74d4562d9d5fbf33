// Inventories of real deployments: the collector script, the inventory file's contract (shape, JSON Schema), reading
// it, importing it into a deployment, and the drift between the model and what an import would make of it.
export { INVENTORY_SCHEMA, INVENTORY_SHAPE, type Inventory, type InventoryComputer, type InventoryCsCertificate, type InventoryReplica, type InventoryStoreCertificate } from './shape';
export { inventoryJsonSchema, inventoryJsonSchemaText } from './schema';
export { INVENTORY_MAX_BYTES, inventorySizeProblem, parseInventory, parseInventorySteps, type InventoryRead } from './read';
export { importInventories, importInventoriesSteps, type InventoryImportProgress, type InventoryFile, type InventoryImport, type InventoryImported } from './import';
export { inventoryDrift, type DriftItem, type DriftKind } from './drift';
export { COLLECTOR_FILE_NAME, collectorScript } from './collector';
