package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;

/**
 * A node of a parsed YAML or JSON document. Trees may share subtrees (YAML aliases resolve to the
 * very same node object as their anchor), so a tree is a DAG: walkers that want to visit each
 * distinct node once can key an {@link java.util.IdentityHashMap} on nodes.
 */
public sealed interface DocNode permits MappingNode, SequenceNode, ScalarNode {

  /** Where the node is written (for an alias: where its anchor's node is written). */
  SourceRange range();
}
