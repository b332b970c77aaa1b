package dev.cairn.bench.journal;

import dev.cairn.persistence.CairnSerializable;

/** The benchmark event: a ~12-byte JSON-ish payload once serialized (Jackson CBOR). */
public record BenchEvent(long n) implements CairnSerializable {}
