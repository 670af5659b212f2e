/** Identity: who made a request, as verified by the gateway, carried through every stage and into the audit log. */
package dev.gatehouse.identity;
