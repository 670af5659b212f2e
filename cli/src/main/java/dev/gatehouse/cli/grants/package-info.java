/** {@code gatehouse grants}: list, show, approve, deny, revoke and cancel time-boxed access grants. */
package dev.gatehouse.cli.grants;
