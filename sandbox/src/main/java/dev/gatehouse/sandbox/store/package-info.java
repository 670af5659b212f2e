/** The in-memory object store: objects, resource versions, change history, watches and selectors. */
package dev.gatehouse.sandbox.store;
