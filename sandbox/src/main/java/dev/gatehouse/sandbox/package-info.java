package dev.gatehouse.sandbox;
