package dev.carbonlens.model;

/**
 * How a model is served: weight dtype, quantisation, the largest batch, generation limit and
 * replicas; every field may be null.
 */
public record Serving(String dtype, String quantization, Integer maxBatch, Integer maxTokens, Integer replicas,
    SourceRange range) {}
