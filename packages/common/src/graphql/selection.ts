import { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the caller selected a sub-field of the field being resolved (through fragments too), so that a resolver
 * can leave out work nobody asked for — e.g. the trend periods of a statistics figure when `trend` is not selected.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const within = (selectionSet: SelectionSetNode | undefined): boolean => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === 'Field' && selection.name.value === name) return true;
      if (selection.kind === 'InlineFragment' && within(selection.selectionSet)) return true;
      if (selection.kind === 'FragmentSpread' && !seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        if (within(info.fragments[selection.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
