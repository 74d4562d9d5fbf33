// The JSON Schema of sfb-deployment.json (the editor's validation and hovers), generated from the shapes (shape.ts)
// and their prose (descriptions.ts). schemas/sfb-deployment.schema.json is this function's output; a unit test keeps
// them equal, and `npm run schema` rewrites the file after a change to the model.
import { DESCRIPTIONS, SCHEMA_HEADER } from './descriptions';
import { FORMAT_SCHEMA } from './formats';
import { CERT_USE, DEPLOYMENT_SHAPE, type ObjectShape, type Shape } from './shape';

export interface JsonSchemaNode {
  [keyword: string]: unknown;
}

type Descriptions = Readonly<Record<string, Readonly<Record<string, string>>>>;

class Generator {
  readonly definitions = new Map<string, JsonSchemaNode>();

  constructor(private readonly descriptions: Descriptions) {}

  describe(id: string, key: string): string {
    const text = this.descriptions[id]?.[key];
    if (!text) throw new Error(`schema: no description for ${id}${key ? `.${key}` : ''}`);
    return text;
  }

  /** A field or item: a $ref to its shape's definition when it has one, else the shape inline. */
  use(shape: Shape): JsonSchemaNode {
    if (!shape.id) return this.inline(shape);
    if (!this.definitions.has(shape.id)) {
      this.definitions.set(shape.id, {}); // reserved first: keeps the order of first use, and ends recursion
      const own = this.descriptions[shape.id]?.[''];
      this.definitions.set(shape.id, { ...(own ? { description: own } : {}), ...this.inline(shape) });
    }
    return { $ref: `#/definitions/${shape.id}` };
  }

  inline(shape: Shape): JsonSchemaNode {
    switch (shape.kind) {
      case 'string': return { type: 'string', ...FORMAT_SCHEMA[shape.format] };
      case 'integer': return { type: 'integer', minimum: shape.min };
      case 'boolean': return { type: 'boolean' };
      case 'enum': return { type: 'string', enum: shape.values };
      case 'array': return { type: 'array', items: this.use(shape.items) };
      case 'map': return { type: 'object', propertyNames: this.use(certUseKeys(shape.keys)), additionalProperties: this.use(shape.values) };
      case 'object': return this.object(shape);
    }
  }

  object(shape: ObjectShape): JsonSchemaNode {
    const id = shape.id ?? shape.name;
    const properties: Record<string, JsonSchemaNode> = {};
    shape.keys.forEach((key, i) => {
      properties[key] = { description: this.describe(id, key), ...this.use(shape.fields[i].shape) };
    });
    const required = shape.keys.filter((_, i) => !shape.fields[i].optional);
    return { type: 'object', additionalProperties: false, ...(required.length ? { required } : {}), properties };
  }
}

/** The map's keys are the certificate uses; their definition is the enum shape (certUse). */
function certUseKeys(keys: readonly string[]): Shape {
  if (keys !== CERT_USE.values) throw new Error('schema: a keyed object other than the assignments needs its own key definition');
  return CERT_USE;
}

/** The JSON Schema document, as an object. */
export function deploymentJsonSchema(): JsonSchemaNode {
  return jsonSchemaOf(DEPLOYMENT_SHAPE, SCHEMA_HEADER, DESCRIPTIONS);
}

/** The JSON Schema document of a file whose root is `root` (the deployment file's, an inventory's). */
export function jsonSchemaOf(root: ObjectShape, header: JsonSchemaNode, descriptions: Descriptions): JsonSchemaNode {
  const g = new Generator(descriptions);
  const node = g.object(root);
  return { ...header, ...node, ...(g.definitions.size ? { definitions: Object.fromEntries(g.definitions) } : {}) };
}

/** The text of schemas/sfb-deployment.schema.json. */
export function deploymentJsonSchemaText(): string {
  return `${JSON.stringify(deploymentJsonSchema(), null, 2)}\n`;
}
