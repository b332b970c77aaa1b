/** Event-sourced lifecycle policies: checkpoint, redo, rollback, quarantine. */
package dev.cairn.persistence;
