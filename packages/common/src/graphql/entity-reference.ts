import { Directive, Field, ID, ObjectType } from 'type-graphql';

export interface EntityReference {
  id: string;
}

/**
 * An entity owned by another subgraph, known here only by its key, e.g. Organization in the cases subgraph.
 * Call it in the subgraph that needs it (type-graphql metadata is global to the process).
 * resolvable: false when this subgraph only points at the entity; true when it contributes fields to it.
 */
export function entityReference(typeName: string, options: { resolvable: boolean; description?: string }) {
  @Directive(options.resolvable ? '@key(fields: "id")' : '@key(fields: "id", resolvable: false)')
  @ObjectType(typeName, { description: options.description })
  class Reference implements EntityReference {
    @Field(() => ID)
    id: string;
  }
  return Reference;
}
