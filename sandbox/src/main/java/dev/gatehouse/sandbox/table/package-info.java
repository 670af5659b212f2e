/** Server-side tables ({@code meta.k8s.io Table}) with the apiserver's columns for each kind. */
package dev.gatehouse.sandbox.table;
