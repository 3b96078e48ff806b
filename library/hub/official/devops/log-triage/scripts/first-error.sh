#!/bin/sh
# Prints the first line matching ERROR in a log file given as $1.
grep -m 1 -n "ERROR" "$1"
