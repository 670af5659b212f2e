package dev.gatehouse.bench;
