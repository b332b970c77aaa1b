/**
 * Backup, verify and restore of Cairn's LevelDB journal and snapshot store
 * ({@link dev.cairn.persistence.backup.CairnBackup}), and JSON Lines export and import of events
 * through Pekko's plugin interfaces ({@link dev.cairn.persistence.backup.JournalExport},
 * {@link dev.cairn.persistence.backup.JournalImport}). Every failure is a
 * {@link dev.cairn.persistence.backup.BackupException} subtype whose message names the file,
 * entry or persistence id and what to do. See {@code docs/operations.md}.
 */
package dev.cairn.persistence.backup;
