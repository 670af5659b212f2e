/** Decoding of Kubernetes protobuf request bodies into the JSON form the store keeps. */
package dev.gatehouse.sandbox.proto;
