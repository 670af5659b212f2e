/** The objects a fresh sandbox starts with. */
package dev.gatehouse.sandbox.seed;
