package dev.cairn.persistence.backup;

/**
 * What an import wrote.
 *
 * @param persistenceIds number of persistence ids imported
 * @param events number of events written to the target journal
 */
public record ImportSummary(long persistenceIds, long events) {}
