/** The API's vocabulary: resource types and their catalog, Status errors, and the shared JSON mappers. */
package dev.gatehouse.sandbox.resource;
