package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.CairnSerializable;

/** A small event serialized with Jackson CBOR through the Cairn marker binding. */
public record TestEvent(String text, int number) implements CairnSerializable {}
